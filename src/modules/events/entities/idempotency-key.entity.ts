import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

/** The stored answer to a POST /events sent with an Idempotency-Key header. */
@Entity('idempotency_keys')
@Index('uq_idempotency_keys_tenant_key', ['tenantId', 'idempotencyKey'], { unique: true })
export class IdempotencyKey extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 200 })
  idempotencyKey: string;

  /** sha256 of the request body: the same key with another body is refused. */
  @Column({ type: 'varchar', length: 64 })
  requestHash: string;

  /** Null while the first request is still being processed. */
  @Column({ type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ type: COLUMN.json, nullable: true })
  response: unknown;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}

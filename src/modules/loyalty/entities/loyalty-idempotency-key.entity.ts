import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

/** A remembered earn/redeem answer: the same Idempotency-Key with the same request gets it again. */
@Entity('loyalty_idempotency_keys')
@Index('uq_loyalty_idempotency_keys_key', ['tenantId', 'scope', 'idemKey'], { unique: true })
// Keys older than the retention are swept.
@Index('ix_loyalty_idempotency_keys_created', ['createdAt'])
export class LoyaltyIdempotencyKey extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 40 })
  scope: string;

  @Column({ type: 'varchar', length: 255 })
  idemKey: string;

  /** sha256 of the customer id and the canonical request body. */
  @Column({ type: 'varchar', length: 64 })
  requestHash: string;

  @Column({ type: 'int' })
  statusCode: number;

  @Column({ type: COLUMN.json })
  response: Record<string, unknown>;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}

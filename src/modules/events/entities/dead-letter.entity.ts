import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { COLUMN, TEXT_LENGTH, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

export const DEAD_LETTER_STATUSES = ['pending', 'replayed'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** A message that could not become an event: kept with its raw payload and the reason, for a person to look at. */
@Entity('dead_letters')
// One row per stream message even when its dead-lettering is redelivered (`<stream>:<sequence>`).
@Index('uq_dead_letters_message_key', ['messageKey'], { unique: true })
@Index('ix_dead_letters_tenant_created', ['tenantId', 'createdAt', 'id'])
export class DeadLetter extends UuidEntity {
  /** Null when the tenant could not be told from the message. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  tenantId: string | null;

  @Column({ type: 'varchar', length: 200 })
  messageKey: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  subject: string | null;

  @Column({ type: COLUMN.json, nullable: true })
  headers: Record<string, string[]> | null;

  /** The message body: UTF-8 text, or base64 when it was not valid UTF-8. */
  @Column({ type: COLUMN.text, length: TEXT_LENGTH })
  payload: string;

  @Column({ type: 'varchar', length: 8 })
  payloadEncoding: 'utf8' | 'base64';

  @Column({ type: 'varchar', length: 2000 })
  reason: string;

  /** Deliveries (or replays) that ended here. */
  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'varchar', length: 10 })
  status: DeadLetterStatus;

  /** The event a successful replay stored. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  replayedEventId: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  replayedAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

export interface WebhookFilter {
  segmentId?: string;
  tier?: string;
}

export const DISABLED_REASONS = ['gone', 'too_many_failures', 'manual'] as const;
export type DisabledReason = (typeof DISABLED_REASONS)[number];

@Entity('webhook_endpoints')
@Index('ix_webhook_endpoints_tenant', ['tenantId', 'createdAt', 'id'])
export class WebhookEndpoint extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  /** Event types, or ['*'] for all. */
  @Column({ type: COLUMN.json })
  events: string[];

  @Column({ type: COLUMN.json, nullable: true })
  filter: WebhookFilter | null;

  @Column({ type: COLUMN.bool })
  active: boolean;

  /** Signing secret, sealed with SecretBox (context: endpoint id). */
  @Column({ type: 'varchar', length: 200 })
  secretSealed: string;

  /** The secret before the last rotation, still signed with until previousSecretExpiresAt. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  previousSecretSealed: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  disabledReason: DisabledReason | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  disabledAt: Date | null;

  /** Deliveries in a row that used up every attempt; reset by any success. */
  @Column({ type: 'int' })
  consecutiveFailures: number;

  /** First failed attempt since the last success. */
  @Column({ type: COLUMN.timestamp, nullable: true })
  failingSince: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}

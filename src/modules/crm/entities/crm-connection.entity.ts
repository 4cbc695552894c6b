import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { COLUMN, TEXT_LENGTH, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

export const CRM_PROVIDERS = ['salesforce', 'hubspot', 'generic'] as const;
export type CrmProviderName = (typeof CRM_PROVIDERS)[number];
export const SYNC_DIRECTIONS = ['push', 'pull', 'both'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

@Entity('crm_connections')
@Index('ix_crm_connections_tenant', ['tenantId', 'createdAt', 'id'])
@Index('ix_crm_connections_due', ['active', 'nextRunAt'])
export class CrmConnection extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  provider: CrmProviderName;

  /** JSON credentials sealed with SecretBox (AES-256-GCM, context: connection id); never returned by the API. */
  @Column({ type: COLUMN.text, length: TEXT_LENGTH })
  credentialsSealed: string;

  /** Names of the credential fields that are set, so the API can say what is configured without the values. */
  @Column({ type: COLUMN.json })
  credentialFields: string[];

  @Column({ type: COLUMN.json })
  options: Record<string, unknown>;

  /** Customer field -> provider field. */
  @Column({ type: COLUMN.json })
  fieldMapping: Record<string, string>;

  @Column({ type: 'varchar', length: 8 })
  direction: SyncDirection;

  /** Cron expression (UTC, minute resolution), or null for manual syncs only. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  schedule: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  nextRunAt: Date | null;

  @Column({ type: COLUMN.bool })
  active: boolean;

  /** Where the next incremental push starts in the customers' (updatedAt, id) order. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  pushCursor: string | null;

  /** Provider modification time the next incremental pull starts from. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  pullCursor: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  lastSyncAt: Date | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  lastRunStatus: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}

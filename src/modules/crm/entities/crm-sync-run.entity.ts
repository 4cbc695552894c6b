import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { CrmConnection } from './crm-connection.entity';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One record that could not be synced, kept on the run (at most MAX_RUN_ERRORS per run). */
export interface RecordError {
  direction: 'push' | 'pull';
  customerId?: string;
  remoteId?: string;
  email?: string | null;
  message: string;
}

export const MAX_RUN_ERRORS = 200;

@Entity('crm_sync_runs')
@Index('ix_crm_sync_runs_connection', ['connectionId', 'createdAt', 'id'])
export class CrmSyncRun extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  connectionId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_sync_runs_connection' })
  connection?: CrmConnection;

  /** GET /api/v1/jobs/:jobId shows its progress. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  jobId: string | null;

  /** full: everything; incremental: only what changed since the cursors. */
  @Column({ type: 'varchar', length: 12 })
  mode: 'full' | 'incremental';

  @Column({ type: 'varchar', length: 12 })
  triggeredBy: 'manual' | 'schedule';

  @Column({ type: 'varchar', length: 12 })
  status: RunStatus;

  @Column({ type: 'int' })
  createdCount: number;

  @Column({ type: 'int' })
  updatedCount: number;

  @Column({ type: 'int' })
  skippedCount: number;

  @Column({ type: 'int' })
  failedCount: number;

  @Column({ type: COLUMN.json })
  errors: RecordError[];

  /** Why the run stopped early (provider unreachable, credentials refused). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  message: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  startedAt: Date | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

export const CAMPAIGN_CHANNELS = ['email', 'sms', 'push'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface CampaignTemplate {
  subject?: string;
  body: string;
}

@Entity('campaigns')
@Index('ix_campaigns_tenant', ['tenantId', 'createdAt', 'id'])
@Index('ix_campaigns_due', ['status', 'scheduledAt'])
export class Campaign extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The audience, as the segments module names it. */
  @Column({ type: 'varchar', length: 100 })
  segmentId: string;

  @Column({ type: 'varchar', length: 8 })
  channel: CampaignChannel;

  @Column({ type: COLUMN.json })
  template: CampaignTemplate;

  @Column({ type: COLUMN.timestamp, nullable: true })
  scheduledAt: Date | null;

  @Column({ type: 'varchar', length: 12 })
  status: CampaignStatus;

  /** The send job: GET /api/v1/jobs/:jobId shows its progress. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  jobId: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  startedAt: Date | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}

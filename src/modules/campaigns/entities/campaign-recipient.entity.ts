import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { Customer } from '../../customers';
import { Campaign } from './campaign.entity';

export const EXCLUSION_REASONS = ['notFound', 'doNotContact', 'noConsent', 'channelOptOut', 'missingContact'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/**
 * One row per audience member once the send reached it: sent (a campaign.send event went out) or excluded with
 * the reason. The primary key makes a resumed send skip whoever it already handled; stats count these rows.
 */
@Entity('campaign_recipients')
@Index('ix_campaign_recipients_outcome', ['campaignId', 'status', 'reason'])
export class CampaignRecipient {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  campaignId: string;

  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'fk_campaign_recipients_campaign' })
  campaign?: Campaign;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_campaign_recipients_customer' })
  customer?: Customer;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 10 })
  status: 'sent' | 'excluded';

  @Column({ type: 'varchar', length: 20, nullable: true })
  reason: ExclusionReason | null;

  /** X-CustomerIQ-Event-Id of the campaign.send event. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  eventId: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}

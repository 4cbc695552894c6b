import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { Customer } from '../../customers';

export const CHANNELS = ['email', 'sms', 'call', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ChannelFlags {
  email: boolean;
  sms: boolean;
  call: boolean;
  push: boolean;
}
export interface MarketingConsent {
  granted: boolean;
  source: string | null;
  at: string | null;
}
export interface QuietHours {
  start: string;
  end: string;
}

@Entity('customer_preferences')
export class CustomerPreferences {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @OneToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_preferences_customer' })
  customer?: Customer;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.json })
  channels: ChannelFlags;

  @Column({ type: 'varchar', length: 8, nullable: true })
  preferredChannel: Channel | null;

  @Column({ type: COLUMN.bool })
  doNotContact: boolean;

  @Column({ type: COLUMN.json })
  marketingConsent: MarketingConsent;

  @Column({ type: 'varchar', length: 35, nullable: true })
  language: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @Column({ type: COLUMN.json, nullable: true })
  quietHours: QuietHours | null;

  @Column({ type: COLUMN.json })
  custom: Record<string, string>;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;

  @VersionColumn({ type: 'int' })
  version: number;
}

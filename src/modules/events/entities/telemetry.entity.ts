import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

export const TELEMETRY_KINDS = ['usage', 'login'] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];

/** Product telemetry from usage and login events: the health score's usage and engagement inputs. */
@Entity('telemetry')
// Health usage/engagement: sum(quantity) per customer and kind over a trailing window.
@Index('ix_telemetry_customer_kind_time', ['tenantId', 'customerId', 'kind', 'occurredAt'])
export class Telemetry extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733300000000): ingestion writes a row per event, and the per-row check locked the
  // customer row each time. CustomersService.hardDelete removes these rows through its erasers.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'varchar', length: 10 })
  kind: TelemetryKind;

  /** usage: API calls in the event; login: 1. */
  @Column({ type: 'int' })
  quantity: number;

  @Column({ type: 'varchar', length: 50, nullable: true })
  period: string | null;

  @Column({ type: COLUMN.timestamp })
  occurredAt: Date;

  /** The customer event this row came from. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  eventId: string | null;
}

import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { COLUMN, TEXT_LENGTH, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** pending/retrying are open (an attempt in flight shows as lockedUntil in the future); the others are final until redelivered. */
export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event for one endpoint: the exact body sent on every attempt and where the attempts stand. */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_endpoint_event', ['endpointId', 'eventId'], { unique: true })
@Index('ix_webhook_deliveries_endpoint_created', ['endpointId', 'createdAt', 'id'])
@Index('ix_webhook_deliveries_due', ['status', 'nextAttemptAt'])
export class WebhookDelivery extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_webhook_deliveries_endpoint' })
  endpoint?: WebhookEndpoint;

  /** X-CustomerIQ-Event-Id: the same on every attempt and redelivery, so receivers can drop duplicates. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  eventId: string;

  @Column({ type: 'varchar', length: 60 })
  eventType: string;

  /** The JSON body, kept byte for byte so every attempt signs and sends the same thing. */
  @Column({ type: COLUMN.text, length: TEXT_LENGTH })
  body: string;

  @Column({ type: 'varchar', length: 12 })
  status: DeliveryStatus;

  @Column({ type: 'int' })
  attempts: number;

  /** Attempt number after which the delivery gives up (a redelivery raises it). */
  @Column({ type: 'int' })
  maxAttempts: number;

  @Column({ type: COLUMN.timestamp, nullable: true })
  nextAttemptAt: Date | null;

  /** Until then the claim holding the delivery is valid; a crashed worker's claim expires and the sweeper retries it. */
  @Column({ type: COLUMN.timestamp, nullable: true })
  lockedUntil: Date | null;

  /** Which claim holds the delivery: a worker records its answer only while its claim is still the current one. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  claimToken: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  lastAttemptAt: Date | null;

  @Column({ type: 'int', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'int', nullable: true })
  responseTimeMs: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}

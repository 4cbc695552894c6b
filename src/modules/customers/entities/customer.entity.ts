import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

export const CUSTOMER_TYPES = ['individual', 'business'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const CUSTOMER_STATUSES = ['active', 'inactive', 'blocked'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

@Entity('customers')
@Index('uq_customers_tenant_email', ['tenantId', 'email'], { unique: true })
@Index('uq_customers_tenant_external_id', ['tenantId', 'externalId'], { unique: true })
// Keyset pagination on the default sort (createdAt desc, id desc).
@Index('ix_customers_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('ix_customers_tenant_updated', ['tenantId', 'updatedAt', 'id'])
@Index('ix_customers_tenant_last_seen', ['tenantId', 'lastSeenAt', 'id'])
// Driver-specific text-search indexes (pg_trgm on Postgres, FTS5 on SQLite) live only in migrations.
@Index('ix_customers_search_trgm', { synchronize: false })
export class Customer extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  firstName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  lastName: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  companyName: string | null;

  @Column({ type: 'varchar', length: 16 })
  type: CustomerType;

  @Column({ type: 'varchar', length: 16 })
  status: CustomerStatus;

  /** Denormalised copy of customer_tags for reads; customer_tags is what filters use. */
  @Column({ type: COLUMN.json })
  tags: string[];

  @Column({ type: COLUMN.json })
  attributes: Record<string, unknown>;

  @Column({ type: 'varchar', length: 100, nullable: true })
  source: string | null;

  /** Lower-cased name, email, phone, company and externalId: what text search matches. */
  @Column({ type: 'varchar', length: 1000 })
  searchText: string;

  @Column({ type: COLUMN.timestamp, nullable: true })
  lastSeenAt: Date | null;

  /** Latest contact event (call, email, visit...); kept by the events module. */
  @Column({ type: COLUMN.timestamp, nullable: true })
  lastContactedAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;

  @DeleteDateColumn({ type: COLUMN.timestamp, nullable: true })
  deletedAt: Date | null;

  @VersionColumn({ type: 'int' })
  version: number;
}

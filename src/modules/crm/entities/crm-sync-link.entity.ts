import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { Customer } from '../../customers';
import { CrmConnection } from './crm-connection.entity';

/**
 * What one connection knows about one customer: the provider's id for it and the customer version last in
 * sync. Incremental pushes re-read a window before their cursor (timestamps tie, commits land late) and skip
 * customers whose version was already sent; pulls match provider ids to customers through it.
 */
@Entity('crm_sync_links')
@Index('ix_crm_sync_links_remote', ['connectionId', 'remoteId'])
export class CrmSyncLink {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  connectionId: string;

  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_sync_links_connection' })
  connection?: CrmConnection;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_crm_sync_links_customer' })
  customer?: Customer;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  remoteId: string | null;

  /** customers.version both sides agreed on last. */
  @Column({ type: 'int' })
  syncedVersion: number;

  @Column({ type: COLUMN.timestamp })
  syncedAt: Date;
}

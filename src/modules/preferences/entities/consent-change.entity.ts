import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

/** Append-only history of marketing-consent changes. */
@Entity('consent_changes')
@Index('ix_consent_changes_customer', ['tenantId', 'customerId', 'createdAt'])
export class ConsentChange extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_consent_changes_customer' })
  customer?: Customer;

  @Column({ type: COLUMN.bool })
  granted: boolean;

  @Column({ type: 'varchar', length: 100, nullable: true })
  source: string | null;

  /** When consent was given or withdrawn, as stated by the caller. */
  @Column({ type: COLUMN.timestamp })
  at: Date;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  changedBy: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}

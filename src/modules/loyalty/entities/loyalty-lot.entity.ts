import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

/** Points from one earn (or positive adjust), consumed oldest first and expiring at expiresAt. */
@Entity('loyalty_lots')
// FIFO consumption per customer.
@Index('ix_loyalty_lots_customer', ['tenantId', 'customerId', 'earnedAt'])
// The expiry sweep: open lots by expiry time (spent lots leave the range).
@Index('ix_loyalty_lots_open_expiry', ['isOpen', 'expiresAt'])
export class LoyaltyLot extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733420000000): the per-row check locked the customer row for every ledger row and lot
  // a sync wrote. CustomersService.hardDelete removes these rows through LoyaltyEraser.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  /** The earn or adjust row that created it. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  transactionId: string;

  @Column({ type: 'int' })
  points: number;

  @Column({ type: 'int' })
  remaining: number;

  /** remaining > 0 */
  @Column({ type: COLUMN.bool })
  isOpen: boolean;

  @Column({ type: COLUMN.timestamp })
  earnedAt: Date;

  /** Fixed when earned; a later program change does not move it. */
  @Column({ type: COLUMN.timestamp, nullable: true })
  expiresAt: Date | null;
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { CustomerForeignKey, dropCustomerForeignKeys, restoreCustomerForeignKeys } from '../infra/database/migration-foreign-keys';

/** The loyalty tables a purchase's sync writes, with their former constraint names. */
const TABLES: CustomerForeignKey[] = [
  ['loyalty_accounts', 'fk_loyalty_accounts_customer'],
  ['loyalty_transactions', 'fk_loyalty_transactions_customer'],
  ['loyalty_lots', 'fk_loyalty_lots_customer'],
  ['loyalty_tier_changes', 'fk_loyalty_tier_changes_customer'],
];

/**
 * The loyalty tables lose their foreign keys to customers, as the ingestion tables did (migration 1733300000000).
 * Each purchase's sync inserts a ledger row and a lot, and created accounts; every inserted row ran the RI check,
 * which locked its customer row (FOR KEY SHARE) while ingestion transactions were updating the same customers'
 * activity, so many of those locks became multixacts. Instead, a ledger transaction takes the tenant's shared
 * customer erasure lock and works only on customers that exist (CustomersService.lockExisting), and a hard delete
 * takes that lock exclusively and deletes these rows itself (LoyaltyEraser) in the same transaction.
 */
export class LoyaltyWithoutCustomerFks1733420000000 implements MigrationInterface {
  name = 'LoyaltyWithoutCustomerFks1733420000000';

  async up(qr: QueryRunner): Promise<void> {
    await dropCustomerForeignKeys(qr, TABLES);
  }

  async down(qr: QueryRunner): Promise<void> {
    await restoreCustomerForeignKeys(qr, TABLES);
  }
}

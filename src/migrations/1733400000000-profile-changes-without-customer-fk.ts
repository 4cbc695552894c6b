import { MigrationInterface, QueryRunner } from 'typeorm';
import { CustomerForeignKey, dropCustomerForeignKeys, restoreCustomerForeignKeys } from '../infra/database/migration-foreign-keys';

const KEYS: CustomerForeignKey[] = [['profile_changes', 'fk_profile_changes_customer']];

/**
 * profile_changes loses its foreign key to customers, like the ingestion tables did (migration 1733300000000). Its rows
 * are written after the change commits (a batch of events creating 1000 customers writes 1000 rows); the per-row RI
 * check ran a plan cached by each pooled connection, and on a database whose customers table was empty when that plan
 * was made it was a sequential scan of customers per row until the next ANALYZE (bench:ingest on a fresh database:
 * ~14% of Postgres CPU). ProfileChangesListener now writes under the tenant's customer erasure lock and skips
 * customers that are gone; a hard delete removes the rows itself (CustomerActivityEraser).
 */
export class ProfileChangesWithoutCustomerFk1733400000000 implements MigrationInterface {
  name = 'ProfileChangesWithoutCustomerFk1733400000000';

  async up(qr: QueryRunner): Promise<void> {
    await dropCustomerForeignKeys(qr, KEYS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await restoreCustomerForeignKeys(qr, KEYS);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { CustomerForeignKey, dropCustomerForeignKeys, restoreCustomerForeignKeys } from '../infra/database/migration-foreign-keys';

/** The tables event ingestion writes a row into per event (or per effect), with their former constraint names. */
const TABLES: CustomerForeignKey[] = [
  ['customer_events', 'fk_customer_events_customer'],
  ['purchases', 'fk_purchases_customer'],
  ['telemetry', 'fk_telemetry_customer'],
  ['contacts', 'fk_contacts_customer'],
  ['support_tickets', 'fk_support_tickets_customer'],
  ['work_orders', 'fk_work_orders_customer'],
];

/**
 * The tables event ingestion writes lose their foreign keys to customers. Every inserted row ran the RI check, which
 * locks its customer row (FOR KEY SHARE); with four batches in flight on the same customers that meant multixacts,
 * and Postgres spent ~25 us per event on it (bench:ingest, keys dropped by hand, two runs each: 96-100 -> 73-76 us
 * of Postgres CPU per event). Instead, an ingestion transaction takes a shared per-tenant lock and checks that its
 * batch's customers exist (CustomersService.lockExisting), and a hard delete takes that lock exclusively, then
 * deletes these rows itself (the erasers of the events and purchases modules) in the same transaction.
 * profile_changes keeps its key: it is written after commit, and its insert relies on the key to skip customers
 * deleted meanwhile.
 */
export class IngestWithoutCustomerFks1733300000000 implements MigrationInterface {
  name = 'IngestWithoutCustomerFks1733300000000';

  async up(qr: QueryRunner): Promise<void> {
    await dropCustomerForeignKeys(qr, TABLES);
  }

  async down(qr: QueryRunner): Promise<void> {
    await restoreCustomerForeignKeys(qr, TABLES);
  }
}

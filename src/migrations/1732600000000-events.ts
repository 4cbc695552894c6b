import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { col, driverOf } from '../infra/database/migration-columns';

const toCustomer = (name: string): TableForeignKey =>
  new TableForeignKey({ name, columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

/** The events module: accepted events, dead letters, work orders, contacts, idempotency keys, profile changes. */
export class Events1732600000000 implements MigrationInterface {
  name = 'Events1732600000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'customer_events',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('event_key', 200), col.varchar('type', 20),
          col.varchar('source', 100, { isNullable: true }), col.timestamp('occurred_at'), col.json('data'), col.varchar('transport', 8),
          col.varchar('subject', 300, { isNullable: true }), col.createdAt(qr, 'received_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_customer_events_tenant_key', columnNames: ['tenant_id', 'event_key'], isUnique: true }),
          new TableIndex({ name: 'ix_customer_events_customer_time', columnNames: ['tenant_id', 'customer_id', 'occurred_at', 'id'] }),
          new TableIndex({ name: 'ix_customer_events_tenant_time', columnNames: ['tenant_id', 'occurred_at', 'id'] }),
        ],
        foreignKeys: [toCustomer('fk_customer_events_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'dead_letters',
        columns: [
          col.id(), col.uuid('tenant_id', { isNullable: true }), col.varchar('message_key', 200), col.varchar('subject', 500, { isNullable: true }),
          col.json('headers', { isNullable: true }), col.text('payload'), col.varchar('payload_encoding', 8), col.varchar('reason', 2000),
          col.int('attempts'), col.varchar('status', 10), col.uuid('replayed_event_id', { isNullable: true }),
          col.timestamp('replayed_at', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_dead_letters_message_key', columnNames: ['message_key'], isUnique: true }),
          new TableIndex({ name: 'ix_dead_letters_tenant_created', columnNames: ['tenant_id', 'created_at', 'id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'work_orders',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('work_order_id', 200), col.varchar('status', 30),
          col.varchar('description', 2000, { isNullable: true }), col.bigint('cost_minor', { isNullable: true }),
          col.varchar('currency', 3, { isNullable: true }), col.timestamp('scheduled_at', { isNullable: true }),
          col.timestamp('completed_at', { isNullable: true }), col.timestamp('opened_at'), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_work_orders_tenant_order', columnNames: ['tenant_id', 'work_order_id'], isUnique: true }),
          new TableIndex({ name: 'ix_work_orders_customer_opened', columnNames: ['tenant_id', 'customer_id', 'opened_at'] }),
        ],
        foreignKeys: [toCustomer('fk_work_orders_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'contacts',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('channel', 8), col.varchar('direction', 8),
          col.varchar('summary', 2000, { isNullable: true }), col.timestamp('occurred_at'), col.uuid('event_id', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'ix_contacts_customer_time', columnNames: ['tenant_id', 'customer_id', 'occurred_at'] })],
        foreignKeys: [toCustomer('fk_contacts_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          col.id(), col.uuid('tenant_id'), col.varchar('idempotency_key', 200), col.varchar('request_hash', 64),
          col.int('status_code', { isNullable: true }), col.json('response', { isNullable: true }), col.createdAt(qr),
        ],
        indices: [new TableIndex({ name: 'uq_idempotency_keys_tenant_key', columnNames: ['tenant_id', 'idempotency_key'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'profile_changes',
        columns: [col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('kind', 10), col.json('changes'), col.timestamp('changed_at')],
        indices: [new TableIndex({ name: 'ix_profile_changes_customer_time', columnNames: ['tenant_id', 'customer_id', 'changed_at', 'id'] })],
        foreignKeys: [toCustomer('fk_profile_changes_customer')],
      }),
    );
    // SQLite: TypeORM's addColumn rebuilds the table, which would drop the FTS triggers; ALTER TABLE ADD COLUMN does not.
    if (driverOf(qr) === 'sqlite') await qr.query('ALTER TABLE customers ADD COLUMN last_contacted_at datetime NULL');
    else await qr.addColumn('customers', new TableColumn(col.timestamp('last_contacted_at', { isNullable: true })));
  }

  async down(qr: QueryRunner): Promise<void> {
    if (driverOf(qr) === 'sqlite') await qr.query('ALTER TABLE customers DROP COLUMN last_contacted_at');
    else await qr.dropColumn('customers', 'last_contacted_at');
    for (const t of ['profile_changes', 'idempotency_keys', 'contacts', 'work_orders', 'dead_letters', 'customer_events']) await qr.dropTable(t);
  }
}

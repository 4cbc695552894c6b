import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

const toCustomer = (name: string): TableForeignKey =>
  new TableForeignKey({ name, columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

/** Support tickets and telemetry written by the events module and read by the health score. */
export class Activity1732500000000 implements MigrationInterface {
  name = 'Activity1732500000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'support_tickets',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('ticket_id', 200), col.varchar('subject', 500),
          col.varchar('severity', 10), col.varchar('status', 10), col.timestamp('opened_at'), col.timestamp('closed_at', { isNullable: true }),
          col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_support_tickets_tenant_ticket', columnNames: ['tenant_id', 'ticket_id'], isUnique: true }),
          new TableIndex({ name: 'ix_support_tickets_customer_opened', columnNames: ['tenant_id', 'customer_id', 'opened_at'] }),
        ],
        foreignKeys: [toCustomer('fk_support_tickets_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'telemetry',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('kind', 10), col.int('quantity'),
          col.varchar('period', 50, { isNullable: true }), col.timestamp('occurred_at'), col.uuid('event_id', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'ix_telemetry_customer_kind_time', columnNames: ['tenant_id', 'customer_id', 'kind', 'occurred_at'] })],
        foreignKeys: [toCustomer('fk_telemetry_customer')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('telemetry');
    await qr.dropTable('support_tickets');
  }
}

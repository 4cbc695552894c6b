import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

export class Purchases1732400000000 implements MigrationInterface {
  name = 'Purchases1732400000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'purchases',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('order_id', 200), col.bigint('amount_minor'),
          col.bigint('refunded_minor'), col.varchar('currency', 3), col.varchar('status', 20), col.varchar('channel', 50, { isNullable: true }),
          col.json('items'), col.timestamp('occurred_at'), col.uuid('source_event_id', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_purchases_tenant_order', columnNames: ['tenant_id', 'order_id'], isUnique: true }),
          new TableIndex({ name: 'ix_purchases_customer_time', columnNames: ['tenant_id', 'customer_id', 'occurred_at'] }),
          new TableIndex({ name: 'ix_purchases_tenant_time', columnNames: ['tenant_id', 'occurred_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_purchases_customer', columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('purchases');
  }
}

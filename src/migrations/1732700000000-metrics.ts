import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

/** Per-customer purchase metrics, and a purchases index wide enough for the recompute to read only the index. */
export class Metrics1732700000000 implements MigrationInterface {
  name = 'Metrics1732700000000';

  async up(qr: QueryRunner): Promise<void> {
    // A cache rebuilt from purchases. No foreign key to customers on purpose: its per-row check (a FOR KEY SHARE
    // lock on the customer) made a 1M-customer recompute ~5x slower; hard deletes remove the row through the
    // customer.deleted event and the nightly job drops any orphan. The key leads with tenant_id so tenant-scoped
    // filters read it directly, and no other index slows the bulk writes.
    await qr.createTable(
      new Table({
        name: 'customer_metrics',
        columns: [
          col.uuid('tenant_id', { isPrimary: true }), col.uuid('customer_id', { isPrimary: true }), col.varchar('currency', 3),
          col.bigint('total_spent_minor'), col.bigint('gross_spent_minor'), col.bigint('refunded_minor'),
          col.int('order_count'), col.int('window_order_count'),
          col.timestamp('first_purchase_at', { isNullable: true }), col.timestamp('last_purchase_at', { isNullable: true }),
          col.timestamp('computed_at'),
        ],
      }),
    );
    await qr.dropIndex('purchases', 'ix_purchases_customer_time');
    await qr.createIndex(
      'purchases',
      new TableIndex({ name: 'ix_purchases_customer_metrics', columnNames: ['tenant_id', 'customer_id', 'occurred_at', 'status', 'amount_minor', 'refunded_minor'] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('purchases', 'ix_purchases_customer_metrics');
    await qr.createIndex('purchases', new TableIndex({ name: 'ix_purchases_customer_time', columnNames: ['tenant_id', 'customer_id', 'occurred_at'] }));
    await qr.dropTable('customer_metrics');
  }
}

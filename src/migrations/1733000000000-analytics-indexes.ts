import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes that let the analytics overview answer from indexes alone at a million customers: 30-day revenue reads
 * (tenant, time, amounts) instead of visiting every purchase row of the window, and open tickets count by
 * (tenant, status) instead of scanning the tenant's tickets.
 */
export class AnalyticsIndexes1733000000000 implements MigrationInterface {
  name = 'AnalyticsIndexes1733000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('purchases', 'ix_purchases_tenant_time');
    await qr.createIndex('purchases', new TableIndex({ name: 'ix_purchases_tenant_time_amounts', columnNames: ['tenant_id', 'occurred_at', 'amount_minor', 'refunded_minor'] }));
    await qr.createIndex('support_tickets', new TableIndex({ name: 'ix_support_tickets_tenant_status', columnNames: ['tenant_id', 'status'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('support_tickets', 'ix_support_tickets_tenant_status');
    await qr.dropIndex('purchases', 'ix_purchases_tenant_time_amounts');
    await qr.createIndex('purchases', new TableIndex({ name: 'ix_purchases_tenant_time', columnNames: ['tenant_id', 'occurred_at'] }));
  }
}

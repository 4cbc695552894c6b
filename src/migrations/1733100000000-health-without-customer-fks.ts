import { MigrationInterface, QueryRunner, TableForeignKey } from 'typeorm';

/**
 * customer_health and customer_health_history lose their foreign keys to customers. The bulk recompute writes a row
 * per customer into each; every inserted row ran the RI check, which locks its customer row (FOR KEY SHARE): at a
 * million customers that was most of the write time (EXPLAIN ANALYZE of a 20k-row chunk: 408 of 528 ms). As with
 * customer_metrics, a hard delete removes the rows itself (HealthScoreListener) and the scheduled recompute
 * (HEALTH_SCORE_CRON) sweeps rows whose customer is gone.
 */
export class HealthWithoutCustomerFks1733100000000 implements MigrationInterface {
  name = 'HealthWithoutCustomerFks1733100000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropForeignKey('customer_health_history', 'fk_customer_health_history_customer');
    await qr.dropForeignKey('customer_health', 'fk_customer_health_customer');
  }

  async down(qr: QueryRunner): Promise<void> {
    // Rows of customers deleted meanwhile would break the constraints: drop them first.
    await qr.query('DELETE FROM customer_health WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = customer_health.customer_id)');
    await qr.query('DELETE FROM customer_health_history WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = customer_health_history.customer_id)');
    const toCustomer = (name: string) => new TableForeignKey({ name, columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    await qr.createForeignKey('customer_health', toCustomer('fk_customer_health_customer'));
    await qr.createForeignKey('customer_health_history', toCustomer('fk_customer_health_history_customer'));
  }
}

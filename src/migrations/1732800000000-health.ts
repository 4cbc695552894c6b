import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

const toCustomer = (name: string): TableForeignKey =>
  new TableForeignKey({ name, columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

/**
 * Health score: versioned per-tenant model configuration, the current score per customer, its daily history, and
 * per tenant and day the totals dashboards read (so they never scan every customer).
 */
export class Health1732800000000 implements MigrationInterface {
  name = 'Health1732800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'health_score_configs',
        columns: [
          col.id(), col.uuid('tenant_id'), col.int('version'), col.json('weights'), col.json('targets'), col.json('penalties'),
          col.int('window_days'), col.json('bands'), col.uuid('created_by', { isNullable: true }), col.createdAt(qr),
        ],
        indices: [new TableIndex({ name: 'uq_health_score_configs_tenant_version', columnNames: ['tenant_id', 'version'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'customer_health',
        columns: [
          col.uuid('customer_id', { isPrimary: true }), col.uuid('tenant_id'), col.int('score'), col.varchar('band', 10),
          col.float('usage_score'), col.float('engagement_score'), col.float('incidents_score'),
          col.bigint('api_calls'), col.int('logins'), col.int('tickets'), col.int('ticket_penalty'),
          col.int('config_version'), col.timestamp('last_activity_at', { isNullable: true }), col.timestamp('computed_at'),
        ],
        indices: [new TableIndex({ name: 'ix_customer_health_tenant_score', columnNames: ['tenant_id', 'score', 'customer_id'] })],
        foreignKeys: [toCustomer('fk_customer_health_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'customer_health_history',
        columns: [
          col.uuid('customer_id', { isPrimary: true }), col.varchar('day', 10, { isPrimary: true }), col.uuid('tenant_id'),
          col.int('score'), col.varchar('band', 10), col.int('config_version'),
        ],
        indices: [new TableIndex({ name: 'ix_customer_health_history_tenant_day', columnNames: ['tenant_id', 'day'] })],
        foreignKeys: [toCustomer('fk_customer_health_history_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'health_daily_summaries',
        columns: [
          col.uuid('tenant_id', { isPrimary: true }), col.varchar('day', 10, { isPrimary: true }), col.int('customers'), col.bigint('score_sum'),
          col.int('healthy'), col.int('at_risk'), col.int('critical'), col.int('active'), col.timestamp('computed_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('health_daily_summaries');
    await qr.dropTable('customer_health_history');
    await qr.dropTable('customer_health');
    await qr.dropTable('health_score_configs');
  }
}

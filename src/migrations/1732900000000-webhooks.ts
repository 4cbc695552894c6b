import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

/** Webhook endpoints and their deliveries (one row per event and endpoint, with attempt state). */
export class Webhooks1732900000000 implements MigrationInterface {
  name = 'Webhooks1732900000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          col.id(), col.uuid('tenant_id'), col.varchar('url', 2000), col.varchar('description', 200, { isNullable: true }),
          col.json('events'), col.json('filter', { isNullable: true }), col.bool('active'), col.varchar('secret_sealed', 200),
          col.varchar('previous_secret_sealed', 200, { isNullable: true }), col.timestamp('previous_secret_expires_at', { isNullable: true }),
          col.varchar('disabled_reason', 20, { isNullable: true }), col.timestamp('disabled_at', { isNullable: true }),
          col.int('consecutive_failures'), col.timestamp('failing_since', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [new TableIndex({ name: 'ix_webhook_endpoints_tenant', columnNames: ['tenant_id', 'created_at', 'id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('endpoint_id'), col.uuid('event_id'), col.varchar('event_type', 60), col.text('body'),
          col.varchar('status', 12), col.int('attempts'), col.int('max_attempts'), col.timestamp('next_attempt_at', { isNullable: true }),
          col.timestamp('locked_until', { isNullable: true }), col.uuid('claim_token', { isNullable: true }), col.timestamp('last_attempt_at', { isNullable: true }),
          col.int('response_status', { isNullable: true }), col.int('response_time_ms', { isNullable: true }),
          col.varchar('last_error', 1000, { isNullable: true }), col.timestamp('delivered_at', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_webhook_deliveries_endpoint_event', columnNames: ['endpoint_id', 'event_id'], isUnique: true }),
          new TableIndex({ name: 'ix_webhook_deliveries_endpoint_created', columnNames: ['endpoint_id', 'created_at', 'id'] }),
          new TableIndex({ name: 'ix_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_webhook_deliveries_endpoint', columnNames: ['endpoint_id'], referencedTableName: 'webhook_endpoints', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('webhook_deliveries');
    await qr.dropTable('webhook_endpoints');
  }
}

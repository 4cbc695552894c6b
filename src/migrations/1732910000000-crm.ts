import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

/** CRM connections (credentials sealed at rest), their sync runs, and per-customer sync links. */
export class Crm1732910000000 implements MigrationInterface {
  name = 'Crm1732910000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'crm_connections',
        columns: [
          col.id(), col.uuid('tenant_id'), col.varchar('name', 200), col.varchar('provider', 16), col.text('credentials_sealed'),
          col.json('credential_fields'), col.json('options'), col.json('field_mapping'), col.varchar('direction', 8),
          col.varchar('schedule', 100, { isNullable: true }), col.timestamp('next_run_at', { isNullable: true }), col.bool('active'),
          col.varchar('push_cursor', 500, { isNullable: true }), col.varchar('pull_cursor', 500, { isNullable: true }),
          col.timestamp('last_sync_at', { isNullable: true }), col.varchar('last_run_status', 12, { isNullable: true }),
          col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'ix_crm_connections_tenant', columnNames: ['tenant_id', 'created_at', 'id'] }),
          new TableIndex({ name: 'ix_crm_connections_due', columnNames: ['active', 'next_run_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'crm_sync_runs',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('connection_id'), col.varchar('job_id', 100, { isNullable: true }), col.varchar('mode', 12),
          col.varchar('triggered_by', 12), col.varchar('status', 12), col.int('created_count'), col.int('updated_count'), col.int('skipped_count'),
          col.int('failed_count'), col.json('errors'), col.varchar('message', 1000, { isNullable: true }),
          col.timestamp('started_at', { isNullable: true }), col.timestamp('finished_at', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [new TableIndex({ name: 'ix_crm_sync_runs_connection', columnNames: ['connection_id', 'created_at', 'id'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_crm_sync_runs_connection', columnNames: ['connection_id'], referencedTableName: 'crm_connections', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'crm_sync_links',
        columns: [
          col.uuid('connection_id', { isPrimary: true }), col.uuid('customer_id', { isPrimary: true }), col.uuid('tenant_id'),
          col.varchar('remote_id', 255, { isNullable: true }), col.int('synced_version'), col.timestamp('synced_at'),
        ],
        indices: [new TableIndex({ name: 'ix_crm_sync_links_remote', columnNames: ['connection_id', 'remote_id'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_crm_sync_links_connection', columnNames: ['connection_id'], referencedTableName: 'crm_connections', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ name: 'fk_crm_sync_links_customer', columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('crm_sync_links');
    await qr.dropTable('crm_sync_runs');
    await qr.dropTable('crm_connections');
  }
}

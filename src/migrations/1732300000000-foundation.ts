import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col, driverOf } from '../infra/database/migration-columns';

const cascadeTo = (name: string, column: string, table: string): TableForeignKey =>
  new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });

export class Foundation1732300000000 implements MigrationInterface {
  name = 'Foundation1732300000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenants',
        columns: [col.id(), col.varchar('name', 200), col.varchar('slug', 80), col.json('settings'), col.createdAt(qr), col.updatedAt(qr)],
        indices: [new TableIndex({ name: 'uq_tenants_slug', columnNames: ['slug'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'users',
        columns: [
          col.id(), col.uuid('tenant_id'), col.varchar('email', 254), col.varchar('password_hash', 100), col.varchar('role', 16),
          col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({ name: 'ix_users_tenant', columnNames: ['tenant_id'] }),
        ],
        foreignKeys: [cascadeTo('fk_users_tenant', 'tenant_id', 'tenants')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          col.id(), col.uuid('user_id'), col.uuid('family_id'), col.varchar('token_hash', 64), col.timestamp('expires_at'),
          col.timestamp('used_at', { isNullable: true }), col.timestamp('revoked_at', { isNullable: true }), col.createdAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_refresh_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_refresh_tokens_family', columnNames: ['family_id'] }),
        ],
        foreignKeys: [cascadeTo('fk_refresh_tokens_user', 'user_id', 'users')],
      }),
    );
    await this.createCustomers(qr);
    await this.createCustomerChildren(qr);
    await this.createSearch(qr);
  }

  private async createCustomers(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'customers',
        columns: [
          col.id(), col.uuid('tenant_id'),
          col.varchar('external_id', 200, { isNullable: true }), col.varchar('email', 254, { isNullable: true }),
          col.varchar('phone', 20, { isNullable: true }), col.varchar('first_name', 100, { isNullable: true }),
          col.varchar('last_name', 100, { isNullable: true }), col.varchar('company_name', 200, { isNullable: true }),
          col.varchar('type', 16), col.varchar('status', 16), col.json('tags'), col.json('attributes'),
          col.varchar('source', 100, { isNullable: true }), col.varchar('search_text', 1000),
          col.timestamp('last_seen_at', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
          col.timestamp('deleted_at', { isNullable: true }), col.int('version'),
        ],
        indices: [
          new TableIndex({ name: 'uq_customers_tenant_email', columnNames: ['tenant_id', 'email'], isUnique: true }),
          new TableIndex({ name: 'uq_customers_tenant_external_id', columnNames: ['tenant_id', 'external_id'], isUnique: true }),
          new TableIndex({ name: 'ix_customers_tenant_created', columnNames: ['tenant_id', 'created_at', 'id'] }),
          new TableIndex({ name: 'ix_customers_tenant_updated', columnNames: ['tenant_id', 'updated_at', 'id'] }),
          new TableIndex({ name: 'ix_customers_tenant_last_seen', columnNames: ['tenant_id', 'last_seen_at', 'id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'customer_tags',
        columns: [col.uuid('customer_id', { isPrimary: true }), col.varchar('tag', 64, { isPrimary: true }), col.uuid('tenant_id')],
        indices: [new TableIndex({ name: 'ix_customer_tags_tenant_tag', columnNames: ['tenant_id', 'tag', 'customer_id'] })],
        foreignKeys: [cascadeTo('fk_customer_tags_customer', 'customer_id', 'customers')],
      }),
    );
  }

  private async createCustomerChildren(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'customer_addresses',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('type', 16), col.varchar('line1', 200),
          col.varchar('line2', 200, { isNullable: true }), col.varchar('city', 100), col.varchar('region', 100, { isNullable: true }),
          col.varchar('postal_code', 20, { isNullable: true }), col.varchar('country', 2),
          col.float('latitude', { isNullable: true }), col.float('longitude', { isNullable: true }), col.bool('is_default'),
          col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [new TableIndex({ name: 'ix_customer_addresses_customer', columnNames: ['tenant_id', 'customer_id'] })],
        foreignKeys: [cascadeTo('fk_customer_addresses_customer', 'customer_id', 'customers')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'notes',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('type', 16), col.text('body'), col.bool('pinned'),
          col.uuid('author_id', { isNullable: true }), col.varchar('source', 100, { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [new TableIndex({ name: 'ix_notes_customer', columnNames: ['tenant_id', 'customer_id', 'pinned', 'created_at', 'id'] })],
        foreignKeys: [cascadeTo('fk_notes_customer', 'customer_id', 'customers')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'customer_preferences',
        columns: [
          col.uuid('customer_id', { isPrimary: true }), col.uuid('tenant_id'), col.json('channels'),
          col.varchar('preferred_channel', 8, { isNullable: true }), col.bool('do_not_contact'), col.json('marketing_consent'),
          col.varchar('language', 35, { isNullable: true }), col.varchar('timezone', 64, { isNullable: true }),
          col.json('quiet_hours', { isNullable: true }), col.json('custom'), col.updatedAt(qr), col.int('version'),
        ],
        foreignKeys: [cascadeTo('fk_customer_preferences_customer', 'customer_id', 'customers')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'consent_changes',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.bool('granted'), col.varchar('source', 100, { isNullable: true }),
          col.timestamp('at'), col.uuid('changed_by', { isNullable: true }), col.createdAt(qr),
        ],
        indices: [new TableIndex({ name: 'ix_consent_changes_customer', columnNames: ['tenant_id', 'customer_id', 'created_at'] })],
        foreignKeys: [cascadeTo('fk_consent_changes_customer', 'customer_id', 'customers')],
      }),
    );
  }

  /** Text search: pg_trgm on Postgres, an FTS5 trigram index kept by triggers on SQLite, a plain LIKE on SQL Server. */
  private async createSearch(qr: QueryRunner): Promise<void> {
    const driver = driverOf(qr);
    if (driver === 'postgres') {
      await qr.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await qr.query('CREATE INDEX ix_customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)');
    } else if (driver === 'sqlite') {
      await qr.query(
        "CREATE VIRTUAL TABLE customers_fts USING fts5(search_text, content='customers', content_rowid='rowid', tokenize='trigram')",
      );
      await qr.query(`CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
        INSERT INTO customers_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END`);
      await qr.query(`CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
        INSERT INTO customers_fts(customers_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END`);
      await qr.query(`CREATE TRIGGER customers_fts_au AFTER UPDATE OF search_text ON customers BEGIN
        INSERT INTO customers_fts(customers_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO customers_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    if (driverOf(qr) === 'sqlite') await qr.query('DROP TABLE IF EXISTS customers_fts');
    for (const t of ['consent_changes', 'customer_preferences', 'notes', 'customer_addresses', 'customer_tags', 'customers', 'refresh_tokens', 'users', 'tenants']) {
      await qr.dropTable(t);
    }
  }
}

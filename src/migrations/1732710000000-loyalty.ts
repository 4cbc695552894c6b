import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

const toCustomer = (name: string): TableForeignKey =>
  new TableForeignKey({ name, columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

/** Loyalty: programs, accounts, the append-only ledger, point lots, tier history and idempotency keys. */
export class Loyalty1732710000000 implements MigrationInterface {
  name = 'Loyalty1732710000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'loyalty_programs',
        columns: [
          col.uuid('tenant_id', { isPrimary: true }), col.bool('enabled'), col.float('points_per_currency_unit'), col.varchar('rounding', 8),
          col.int('expiry_days', { isNullable: true }), col.varchar('tier_basis', 16), col.json('tiers'), col.int('downgrade_grace_days'),
          col.createdAt(qr), col.updatedAt(qr),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_loyalty_programs_tenant', columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'loyalty_accounts',
        columns: [
          col.uuid('customer_id', { isPrimary: true }), col.uuid('tenant_id'), col.bigint('balance'), col.bigint('lifetime_earned'),
          col.varchar('tier', 16), col.timestamp('tier_since'), col.timestamp('below_since', { isNullable: true }), col.timestamp('tier_evaluated_at'),
          col.timestamp('next_tier_check_at', { isNullable: true }), col.int('last_seq'), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'ix_loyalty_accounts_tenant_tier', columnNames: ['tenant_id', 'tier'] }),
          new TableIndex({ name: 'ix_loyalty_accounts_tier_check', columnNames: ['next_tier_check_at'] }),
        ],
        foreignKeys: [toCustomer('fk_loyalty_accounts_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'loyalty_transactions',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.int('seq'), col.varchar('type', 10), col.int('points'),
          col.bigint('balance_after'), col.int('qualifying_points'), col.int('shortfall'), col.varchar('reason', 200, { isNullable: true }),
          col.varchar('reference', 200, { isNullable: true }), col.varchar('source_key', 300), col.uuid('lot_id', { isNullable: true }),
          col.timestamp('occurred_at'), col.uuid('created_by', { isNullable: true }), col.createdAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_loyalty_transactions_source', columnNames: ['tenant_id', 'source_key'], isUnique: true }),
          new TableIndex({ name: 'uq_loyalty_transactions_seq', columnNames: ['customer_id', 'seq'], isUnique: true }),
          new TableIndex({ name: 'ix_loyalty_transactions_customer_time', columnNames: ['tenant_id', 'customer_id', 'occurred_at'] }),
        ],
        foreignKeys: [toCustomer('fk_loyalty_transactions_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'loyalty_lots',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.uuid('transaction_id'), col.int('points'), col.int('remaining'),
          col.bool('is_open'), col.timestamp('earned_at'), col.timestamp('expires_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'ix_loyalty_lots_customer', columnNames: ['tenant_id', 'customer_id', 'earned_at'] }),
          new TableIndex({ name: 'ix_loyalty_lots_open_expiry', columnNames: ['is_open', 'expires_at'] }),
        ],
        foreignKeys: [toCustomer('fk_loyalty_lots_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'loyalty_tier_changes',
        columns: [
          col.id(), col.uuid('tenant_id'), col.uuid('customer_id'), col.varchar('from_tier', 16), col.varchar('to_tier', 16),
          col.varchar('reason', 16), col.bigint('qualifying_points'), col.timestamp('effective_at'), col.createdAt(qr),
        ],
        indices: [new TableIndex({ name: 'ix_loyalty_tier_changes_customer', columnNames: ['tenant_id', 'customer_id', 'effective_at'] })],
        foreignKeys: [toCustomer('fk_loyalty_tier_changes_customer')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'loyalty_idempotency_keys',
        columns: [
          col.id(), col.uuid('tenant_id'), col.varchar('scope', 40), col.varchar('idem_key', 255), col.varchar('request_hash', 64),
          col.int('status_code'), col.json('response'), col.createdAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_loyalty_idempotency_keys_key', columnNames: ['tenant_id', 'scope', 'idem_key'], isUnique: true }),
          new TableIndex({ name: 'ix_loyalty_idempotency_keys_created', columnNames: ['created_at'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['loyalty_idempotency_keys', 'loyalty_tier_changes', 'loyalty_lots', 'loyalty_transactions', 'loyalty_accounts', 'loyalty_programs']) {
      await qr.dropTable(t);
    }
  }
}

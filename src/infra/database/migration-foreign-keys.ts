import { QueryRunner, TableForeignKey } from 'typeorm';

/** A table and the name its customer_id foreign key had. */
export type CustomerForeignKey = [table: string, constraint: string];

/**
 * Drops these tables' foreign keys to customers: tables written a row per event or per ledger entry, whose per-row
 * check locked the customer row. Their writers check the customers exist under the tenant's erasure lock instead,
 * and a hard delete removes their rows itself.
 */
export async function dropCustomerForeignKeys(qr: QueryRunner, keys: CustomerForeignKey[]): Promise<void> {
  for (const [table, constraint] of keys) await qr.dropForeignKey(table, constraint);
}

/** Puts the keys back (down); rows of customers that are gone would break a constraint, so they go first. */
export async function restoreCustomerForeignKeys(qr: QueryRunner, keys: CustomerForeignKey[]): Promise<void> {
  for (const [table, constraint] of keys) {
    await qr.query(`DELETE FROM ${table} WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = ${table}.customer_id)`);
    await qr.createForeignKey(table, new TableForeignKey({ name: constraint, columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' }));
  }
}

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

/** Segments (a rule tree per tenant) and their current members. */
export class Segments1732810000000 implements MigrationInterface {
  name = 'Segments1732810000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'segments',
        columns: [
          col.id(), col.uuid('tenant_id'), col.varchar('name', 120), col.varchar('description', 500, { isNullable: true }), col.json('rule'),
          col.timestamp('evaluated_at', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr), col.int('version'),
        ],
        indices: [new TableIndex({ name: 'uq_segments_tenant_name', columnNames: ['tenant_id', 'name'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'segment_members',
        columns: [col.uuid('segment_id', { isPrimary: true }), col.uuid('customer_id', { isPrimary: true }), col.uuid('tenant_id'), col.timestamp('entered_at')],
        indices: [new TableIndex({ name: 'ix_segment_members_customer', columnNames: ['tenant_id', 'customer_id'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_segment_members_segment', columnNames: ['segment_id'], referencedTableName: 'segments', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ name: 'fk_segment_members_customer', columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('segment_members');
    await qr.dropTable('segments');
  }
}

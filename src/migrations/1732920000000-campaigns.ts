import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from '../infra/database/migration-columns';

/** Marketing campaigns and the per-customer outcome of their sends. */
export class Campaigns1732920000000 implements MigrationInterface {
  name = 'Campaigns1732920000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'campaigns',
        columns: [
          col.id(), col.uuid('tenant_id'), col.varchar('name', 200), col.varchar('segment_id', 100), col.varchar('channel', 8), col.json('template'),
          col.timestamp('scheduled_at', { isNullable: true }), col.varchar('status', 12), col.varchar('job_id', 100, { isNullable: true }),
          col.timestamp('started_at', { isNullable: true }), col.timestamp('completed_at', { isNullable: true }), col.createdAt(qr), col.updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'ix_campaigns_tenant', columnNames: ['tenant_id', 'created_at', 'id'] }),
          new TableIndex({ name: 'ix_campaigns_due', columnNames: ['status', 'scheduled_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_recipients',
        columns: [
          col.uuid('campaign_id', { isPrimary: true }), col.uuid('customer_id', { isPrimary: true }), col.uuid('tenant_id'), col.varchar('status', 10),
          col.varchar('reason', 20, { isNullable: true }), col.uuid('event_id', { isNullable: true }), col.createdAt(qr),
        ],
        indices: [new TableIndex({ name: 'ix_campaign_recipients_outcome', columnNames: ['campaign_id', 'status', 'reason'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_campaign_recipients_campaign', columnNames: ['campaign_id'], referencedTableName: 'campaigns', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ name: 'fk_campaign_recipients_customer', columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('campaign_recipients');
    await qr.dropTable('campaigns');
  }
}

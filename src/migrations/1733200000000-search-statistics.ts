import { MigrationInterface, QueryRunner } from 'typeorm';
import { driverOf } from '../infra/database/migration-columns';

/**
 * Postgres plans customer search from its estimate of how many rows contain the typed text. With the default
 * statistics (100 sampled values) a name fragment is guessed at ~2 % of the table, so the planner reads the table
 * from the start for the ranked candidates when they are really 0.1 % of it: tens of thousands of rows. A 1000-value sample
 * makes the estimate follow the data: rare fragments use the trigram index, common ones a short sequential read.
 */
export class SearchStatistics1733200000000 implements MigrationInterface {
  name = 'SearchStatistics1733200000000';

  async up(qr: QueryRunner): Promise<void> {
    if (driverOf(qr) !== 'postgres') return;
    await qr.query('ALTER TABLE customers ALTER COLUMN search_text SET STATISTICS 1000');
    // ANALYZE in the transaction that set the target still sees the old one (-1: the default target).
    await qr.query('SET LOCAL default_statistics_target = 1000');
    await qr.query('ANALYZE customers (search_text)');
  }

  async down(qr: QueryRunner): Promise<void> {
    if (driverOf(qr) !== 'postgres') return;
    await qr.query('ALTER TABLE customers ALTER COLUMN search_text SET STATISTICS -1');
  }
}

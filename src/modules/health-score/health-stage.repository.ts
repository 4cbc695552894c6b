import { Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';
import { HealthBand, HealthModel } from './health-score.model';
import { scoredSql, scoreParams, ScoreWindow } from './health-score-sql';

export interface BandChange {
  customerId: string;
  fromBand: HealthBand;
  toBand: HealthBand;
  fromScore: number;
  toScore: number;
}

/** Memory for the one big aggregate of a bulk recompute (its hash tables hold one row per customer). */
const STAGE_WORK_MEM = '256MB';

/**
 * Bulk recompute of a tenant: one aggregate pass into a private staging table (in customer id order), then chunked
 * writes of the current scores and the day's history, each chunk bounded by its id range on every side.
 */
@Injectable()
export class HealthStageRepository {
  private readonly sql: SqlDialect;

  constructor(private readonly ds: DataSource) {
    this.sql = sqlDialect(driverOfDataSource(ds));
  }

  /** A dedicated connection, so the temporary staging table lives as long as the run. */
  async openSession(): Promise<QueryRunner> {
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    return qr;
  }

  /**
   * Scores every live customer of the tenant into a new staging table; returns its name and row count.
   * CREATE TABLE AS (unlike INSERT ... SELECT) may use a parallel plan on Postgres.
   */
  async stage(qr: QueryRunner, tenantId: string, model: HealthModel, window: ScoreWindow): Promise<{ table: string; rows: number }> {
    const table = `health_stage_${randomBytes(6).toString('hex')}`;
    if (this.sql.driver === 'postgres') await runSql(qr, `SET work_mem = '${STAGE_WORK_MEM}'`);
    try {
      // Written in id order: the chunks that follow read it by id ranges, so their reads are sequential.
      await runSql(qr, `CREATE TEMPORARY TABLE ${table} AS ${scoredSql(this.sql, false)} ORDER BY customer_id`, scoreParams(tenantId, model, window));
    } finally {
      if (this.sql.driver === 'postgres') await runSql(qr, 'RESET work_mem');
    }
    // Indexed after the fill: cheaper than maintaining it row by row.
    await runSql(qr, `CREATE INDEX ${table}_customer ON ${table} (customer_id)`);
    if (this.sql.driver === 'postgres') await runSql(qr, `ANALYZE ${table}`);
    const { rows } = await runSql<{ n: number | string }>(qr, `SELECT COUNT(*) AS n FROM ${table}`);
    return { table, rows: Number(rows[0]?.n ?? 0) };
  }

  async dropStage(qr: QueryRunner, table: string): Promise<void> {
    await runSql(qr, `DROP TABLE IF EXISTS ${table}`);
  }

  /**
   * Splits the `total` staged customers into chunks of `size` in id order, in one streaming pass over the stage's
   * index (no COUNT(*) OVER (), which would buffer every row): each chunk's last id (inclusive) and its number of rows.
   */
  async chunkEnds(qr: QueryRunner, table: string, total: number, size: number): Promise<Array<{ end: string; rows: number }>> {
    if (total <= 0) return [];
    const n = Math.max(1, Math.trunc(size));
    const { rows } = await runSql<{ customer_id: string; rn: number | string }>(
      qr,
      `SELECT customer_id, rn FROM (SELECT customer_id, ROW_NUMBER() OVER (ORDER BY customer_id) AS rn FROM ${table}) z
       WHERE rn % ${n} = 0 OR rn = ${Math.trunc(total)} ORDER BY rn`,
    );
    let before = 0;
    return rows.map((r) => {
      const rn = Number(r.rn);
      const chunk = { end: r.customer_id, rows: rn - before };
      before = rn;
      return chunk;
    });
  }

  /**
   * Band changes within a staged chunk against the stored current scores (read before they are overwritten). Both
   * sides carry the chunk's id range: without it Postgres hashed the chunk and scanned all of customer_health.
   */
  async chunkBandChanges(m: EntityManager, table: string, after: string | null, end: string): Promise<BandChange[]> {
    const { rows } = await runSql<{ customer_id: string; from_band: HealthBand; to_band: HealthBand; from_score: number; to_score: number }>(
      m,
      `SELECT s.customer_id, h.band AS from_band, s.band AS to_band, h.score AS from_score, s.score AS to_score
       FROM ${table} s JOIN customer_health h ON h.customer_id = s.customer_id
       WHERE ${chunkWhere('s', after)} AND ${chunkWhere('h', after)} AND h.band <> s.band`,
      { after, end },
    );
    return rows.map((r) => ({ customerId: r.customer_id, fromBand: r.from_band, toBand: r.to_band, fromScore: Number(r.from_score), toScore: Number(r.to_score) }));
  }

  /**
   * Writes a staged chunk as the current scores. Rows whose inputs and model version are unchanged are left alone
   * (the tenant's summary records that they were checked); inserts go in primary-key order for index locality.
   */
  async writeCurrentChunk(m: EntityManager, table: string, after: string | null, end: string, tenantId: string, version: number, computedAt: Date): Promise<void> {
    const cols = 'score, band, usage_score, engagement_score, incidents_score, api_calls, logins, tickets, ticket_penalty, config_version, last_activity_at, computed_at';
    const set = cols.split(', ').map((c) => `${c} = excluded.${c}`).join(', ');
    const distinct = (a: string, b: string) => `${a} ${this.sql.driver === 'postgres' ? 'IS DISTINCT FROM' : 'IS NOT'} ${b}`;
    const inputs = ['api_calls', 'logins', 'tickets', 'ticket_penalty', 'last_activity_at'];
    const changed = [...inputs, 'config_version'].map((c) => distinct(`customer_health.${c}`, `excluded.${c}`)).join(' OR ');
    // Unchanged customers are left out before the insert (an ON CONFLICT that updates nothing still locks and
    // dirties the row); the stored rows are read by the chunk's id range. The conflict clause still guards rows
    // written meanwhile by a per-customer recompute.
    const stale = [...inputs.map((c) => distinct(`h.${c}`, `s.${c}`)), `h.config_version <> ${this.sql.cast(':version', 'int')}`].join(' OR ');
    await runSql(
      m,
      `INSERT INTO customer_health (customer_id, tenant_id, ${cols})
       SELECT s.customer_id, ${this.sql.cast(':tenantId', 'uuid')}, s.score, s.band, s.usage_score, s.engagement_score, s.incidents_score,
         s.api_calls, s.logins, s.tickets, s.ticket_penalty, ${this.sql.cast(':version', 'int')}, s.last_activity_at, ${this.sql.cast(':computedAt', 'timestamp')}
       FROM ${table} s LEFT JOIN customer_health h ON h.customer_id = s.customer_id AND ${chunkWhere('h', after)}
       WHERE ${chunkWhere('s', after)} AND (h.customer_id IS NULL OR ${stale}) ORDER BY s.customer_id
       ON CONFLICT (customer_id) DO UPDATE SET ${set} WHERE ${changed}`,
      { tenantId, version, computedAt, after, end },
    );
  }

  /** Writes a staged chunk as the day's history rows (the day's latest computation wins; equal rows are not rewritten). */
  async writeHistoryChunk(m: EntityManager, table: string, after: string | null, end: string, tenantId: string, version: number, day: string): Promise<void> {
    const h = 'customer_health_history';
    await runSql(
      m,
      `INSERT INTO ${h} (customer_id, day, tenant_id, score, band, config_version)
       SELECT s.customer_id, CAST(:day AS varchar(10)), ${this.sql.cast(':tenantId', 'uuid')}, s.score, s.band, ${this.sql.cast(':version', 'int')}
       FROM ${table} s WHERE ${chunkWhere('s', after)} ORDER BY s.customer_id
       ON CONFLICT (customer_id, day) DO UPDATE SET score = excluded.score, band = excluded.band, config_version = excluded.config_version
       WHERE ${h}.score <> excluded.score OR ${h}.band <> excluded.band OR ${h}.config_version <> excluded.config_version`,
      { tenantId, version, day, after, end },
    );
  }
}

function chunkWhere(alias: string, after: string | null): string {
  return after === null ? `${alias}.customer_id <= :end` : `${alias}.customer_id > :after AND ${alias}.customer_id <= :end`;
}

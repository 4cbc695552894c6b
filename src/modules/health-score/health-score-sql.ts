import type { SqlDialect } from '../../infra/database/raw-sql';
import { HealthModel, ROUNDING_EPSILON } from './health-score.model';

/** The window a score describes: activity with since <= occurred_at <= until. */
export interface ScoreWindow {
  since: Date;
  until: Date;
}

/**
 * The health formula in SQL, one statement for any number of customers. It spells health-score.model.ts in the
 * same operation order, so SQLite (binary floating point, like JS) gives the same numbers and Postgres (exact
 * numeric) differs only below the rounding epsilon. Reads telemetry and support_tickets by table name
 * (ix_telemetry_customer_kind_time, ix_support_tickets_customer_opened).
 */
function inputsSql(dialect: SqlDialect, ids: boolean): string {
  const p = (k: string) => `CAST(:p_${k} AS INTEGER)`;
  const penalty = `CASE severity WHEN 'critical' THEN ${p('critical')} WHEN 'high' THEN ${p('high')} WHEN 'medium' THEN ${p('medium')} WHEN 'low' THEN ${p('low')} ELSE 0 END`;
  if (!ids) {
    return `SELECT c.id AS customer_id,
      COALESCE(u.api_calls, 0) AS api_calls, COALESCE(u.logins, 0) AS logins, u.last_activity_at AS last_activity_at,
      COALESCE(k.tickets, 0) AS tickets, COALESCE(k.penalty, 0) AS ticket_penalty
    FROM customers c
    LEFT JOIN (
      SELECT customer_id,
        SUM(CASE WHEN kind = 'usage' THEN quantity ELSE 0 END) AS api_calls,
        SUM(CASE WHEN kind = 'login' THEN quantity ELSE 0 END) AS logins,
        MAX(occurred_at) AS last_activity_at
      FROM telemetry
      WHERE tenant_id = :tenantId AND occurred_at >= :since AND occurred_at <= :until
      GROUP BY customer_id
    ) u ON u.customer_id = c.id
    LEFT JOIN (
      SELECT customer_id, COUNT(*) AS tickets, SUM(${penalty}) AS penalty
      FROM support_tickets
      WHERE tenant_id = :tenantId AND opened_at >= :since AND opened_at <= :until
      GROUP BY customer_id
    ) k ON k.customer_id = c.id
    WHERE c.tenant_id = :tenantId AND c.deleted_at IS NULL`;
  }
  // A list of customers (the batch jobs after ingestion): one grouping of their rows from all three tables, no join.
  // Joined, a planner without statistics on a young telemetry table nests an aggregate inside a loop over the
  // customers and runs it once per customer.
  const only = (col: string) => dialect.uuidIn(col, 'ids');
  return `SELECT a.customer_id, SUM(a.api_calls) AS api_calls, SUM(a.logins) AS logins, MAX(a.last_activity_at) AS last_activity_at,
      SUM(a.tickets) AS tickets, SUM(a.penalty) AS ticket_penalty
    FROM (
      SELECT c.id AS customer_id, 1 AS live, 0 AS api_calls, 0 AS logins, NULL AS last_activity_at, 0 AS tickets, 0 AS penalty
      FROM customers c WHERE c.tenant_id = :tenantId AND c.deleted_at IS NULL AND ${only('c.id')}
      UNION ALL
      SELECT customer_id, 0, CASE WHEN kind = 'usage' THEN quantity ELSE 0 END, CASE WHEN kind = 'login' THEN quantity ELSE 0 END, occurred_at, 0, 0
      FROM telemetry WHERE tenant_id = :tenantId AND occurred_at >= :since AND occurred_at <= :until AND ${only('customer_id')}
      UNION ALL
      SELECT customer_id, 0, 0, 0, NULL, 1, ${penalty}
      FROM support_tickets WHERE tenant_id = :tenantId AND opened_at >= :since AND opened_at <= :until AND ${only('customer_id')}
    ) a
    GROUP BY a.customer_id HAVING MAX(a.live) = 1`;
}

/** Inputs -> component scores -> score -> band, for every live customer of the tenant (or those in :ids). */
export function scoredSql(dialect: SqlDialect, ids: boolean): string {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the SQL dialect helpers are pure functions that never use `this`
  const { least, greatest, num, roundInt } = dialect;
  const component = (col: string, target: string) => least('100', `${num(`s.${col}`)} * 100 / ${num(target)}`);
  const weighted = `${num(':w_usage')} * y.usage_score + ${num(':w_engagement')} * y.engagement_score + ${num(':w_incidents')} * y.incidents_score + ${ROUNDING_EPSILON.toFixed(9)}`;
  return `SELECT x.*,
      CASE WHEN x.score >= :b_healthy THEN 'healthy' WHEN x.score >= :b_at_risk THEN 'at_risk' ELSE 'critical' END AS band
    FROM (
      SELECT y.*, ${roundInt(weighted)} AS score
      FROM (
        SELECT s.customer_id, s.api_calls, s.logins, s.tickets, s.ticket_penalty, s.last_activity_at,
          ${component('api_calls', ':t_api_calls')} AS usage_score,
          ${component('logins', ':t_logins')} AS engagement_score,
          ${greatest('0', `100 - ${num('s.ticket_penalty')}`)} AS incidents_score
        FROM (${inputsSql(dialect, ids)}) s
      ) y
    ) x`;
}

export function scoreParams(tenantId: string, model: HealthModel, window: ScoreWindow, ids?: string[]): Record<string, unknown> {
  return {
    tenantId, since: window.since, until: window.until, ...(ids ? { ids } : {}),
    p_critical: model.penalties.critical, p_high: model.penalties.high, p_medium: model.penalties.medium, p_low: model.penalties.low,
    t_api_calls: model.targets.apiCalls, t_logins: model.targets.logins,
    w_usage: model.weights.usage, w_engagement: model.weights.engagement, w_incidents: model.weights.incidents,
    b_healthy: model.bands.healthy, b_at_risk: model.bands.atRisk,
  };
}

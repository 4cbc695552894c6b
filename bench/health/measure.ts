import autocannon from 'autocannon';
import { Client } from 'pg';
import { DEFAULT_HEALTH_MODEL } from '../../src/modules/health-score/health-score.model';

type Http = (method: string, path: string, token?: string, body?: unknown) => Promise<{ status: number; body: Record<string, any> }>;

/**
 * The baseline: the same three components for every live customer in one plain SELECT (same joins, same
 * formula, nothing written), with the same work_mem the recompute's aggregate gets.
 */
export async function bareAggregate(db: Client, tenantId: string): Promise<{ ms: number; customers: number }> {
  const m = DEFAULT_HEALTH_MODEL;
  await db.query(`SET work_mem = '256MB'`);
  const t0 = Date.now();
  const { rows } = await db.query(
    `SELECT COUNT(*) AS customers, SUM(usage) AS u, SUM(engagement) AS e, SUM(incidents) AS i FROM (
       SELECT c.id, LEAST(100, COALESCE(u.api_calls, 0) * 100.0 / $3) AS usage, LEAST(100, COALESCE(u.logins, 0) * 100.0 / $4) AS engagement,
         GREATEST(0, 100 - COALESCE(k.penalty, 0)) AS incidents
       FROM customers c
       LEFT JOIN (SELECT customer_id, SUM(CASE WHEN kind = 'usage' THEN quantity ELSE 0 END) AS api_calls,
                    SUM(CASE WHEN kind = 'login' THEN quantity ELSE 0 END) AS logins
                  FROM telemetry WHERE tenant_id = $1 AND occurred_at >= $2 GROUP BY customer_id) u ON u.customer_id = c.id
       LEFT JOIN (SELECT customer_id, SUM(CASE severity WHEN 'critical' THEN 25 WHEN 'high' THEN 15 WHEN 'medium' THEN 8 WHEN 'low' THEN 3 ELSE 0 END) AS penalty
                  FROM support_tickets WHERE tenant_id = $1 AND opened_at >= $2 GROUP BY customer_id) k ON k.customer_id = c.id
       WHERE c.tenant_id = $1 AND c.deleted_at IS NULL) s`,
    [tenantId, new Date(Date.now() - m.windowDays * 86_400_000), m.targets.apiCalls, m.targets.logins],
  );
  await db.query('RESET work_mem');
  return { ms: Date.now() - t0, customers: Number(rows[0].customers) };
}

/** POST /health-score/recompute and poll GET /jobs/:id until it completes: the whole job path, timed from outside. */
export async function runRecompute(http: Http, token: string): Promise<{ ms: number; customers: number }> {
  const t0 = Date.now();
  const started = await http('POST', '/health-score/recompute', token);
  if (started.status !== 202) throw new Error(`recompute refused: ${started.status} ${JSON.stringify(started.body)}`);
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const job = (await http('GET', `/jobs/${started.body.jobId}`, token)).body;
    if (job.state === 'completed') return { ms: Date.now() - t0, customers: job.result.customers };
    if (job.state === 'failed') throw new Error(`recompute failed: ${job.error}`);
  }
}

/** Latency of GET /analytics/overview under autocannon; p95 from every response's own time. */
export async function measureOverview(url: string, token: string, durationS: number): Promise<{ p50: number; p95: number; p99: number; requests: number; connections: number }> {
  const times: number[] = [];
  const connections = 4;
  const instance = autocannon({ url, connections, duration: durationS, headers: { authorization: `Bearer ${token}` } });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status !== 200) throw new Error(`overview answered ${status}`);
    times.push(ms);
  });
  await instance;
  times.sort((a, b) => a - b);
  const at = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]);
  return { p50: at(50), p95: at(95), p99: at(99), requests: times.length, connections };
}

import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Drives `nextPath()` requests at `baseUrl` with autocannon for `seconds`. Percentiles come from every response
 * time (autocannon's own histogram has no p95). Non-2xx answers and socket errors count as failures.
 */
export async function drive(baseUrl: string, nextPath: () => string, opts: { seconds: number; connections: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: baseUrl,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: nextPath() }) }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const r = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: r.requests.total,
    rps: r.requests.total / r.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    failures: r.non2xx + r.errors + r.timeouts,
  };
}

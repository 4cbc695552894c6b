import { readFileSync } from 'fs';
import autocannon from 'autocannon';

/** One scenario's results, accumulated over rounds. */
export class LoadStats {
  private latencies: number[] = [];
  requests = 0;
  seconds = 0;
  failures = 0;
  cpuMs = 0;

  add(latencies: number[], requests: number, seconds: number, failures: number, cpuMs: number): void {
    this.latencies.push(...latencies);
    this.requests += requests;
    this.seconds += seconds;
    this.failures += failures;
    this.cpuMs += cpuMs;
  }

  get rps(): number {
    return this.requests / this.seconds;
  }

  /** Server CPU time (user + system) per request: far less sensitive to other load on the machine than req/s. */
  get cpuPerRequest(): number {
    return this.cpuMs / this.requests;
  }

  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  }
}

const CLOCK_TICKS_PER_MS = 100 / 1000; // USER_HZ is 100 on Linux

/** CPU milliseconds a process has used so far, from /proc (NaN where there is no /proc). */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_MS;
  } catch {
    return NaN;
  }
}

/**
 * Drives `nextPath()` requests at `baseUrl` with autocannon for `seconds` and adds the outcome to `stats`.
 * Percentiles come from every response time (autocannon's histogram has no p95); non-2xx answers, socket errors
 * and timeouts count as failures. `serverPid` is the process whose CPU time is charged to the requests.
 */
export async function drive(
  stats: LoadStats | null,
  target: { url: string; pid: number },
  nextPath: () => string,
  opts: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<void> {
  const latencies: number[] = [];
  const cpuBefore = cpuMsOf(target.pid);
  const instance = autocannon({
    url: target.url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: nextPath() }) }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const r = await instance;
  stats?.add(latencies, r.requests.total, r.duration, r.non2xx + r.errors + r.timeouts, cpuMsOf(target.pid) - cpuBefore);
}

import { parseRetryAfter } from '../../../shared/retry-after';
import { CrmProvider, PullPage, PushRecord, PushResult, RemoteContact } from './crm-provider';
import { DEFAULT_RETRY, ProviderCallError, RetryPolicy, withRetry } from './provider-call';

export interface GenericCredentials {
  /** Sent as Authorization: Bearer <token>. */
  token?: string;
  /** Extra headers, e.g. an API key header. */
  headers?: Record<string, string>;
}

export interface GenericOptions {
  /** Where each customer is sent; `{id}` is replaced by the CustomerIQ id. */
  pushUrl?: string;
  pushMethod?: 'POST' | 'PUT' | 'PATCH';
  /** GET, answering `{ data: [...], nextCursor }` (or a bare array); called with ?since=<ISO>&cursor=<nextCursor>. */
  pullUrl?: string;
  /** Field of a pulled record holding its modification time. */
  updatedAtField?: string;
  /** Field of a pulled record holding its id in the remote system. */
  idField?: string;
}

const TIMEOUT_MS = 30_000;
export const GENERIC_PUSH_METHODS = ['POST', 'PUT', 'PATCH'] as const;

/**
 * Any JSON API: one request per customer to the configured URL and method (body: { id, ...mapped fields });
 * 201 counts as created, other 2xx as updated, another 4xx as a failed record; 429 and 5xx are retried.
 */
export class GenericRestProvider implements CrmProvider {
  readonly pushBatchSize = 100;

  constructor(
    private readonly creds: GenericCredentials,
    private readonly opts: GenericOptions,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async push(records: PushRecord[]): Promise<PushResult[]> {
    const out: PushResult[] = [];
    for (const r of records) {
      const url = this.opts.pushUrl!.replace('{id}', encodeURIComponent(r.customerId));
      try {
        const res = await withRetry('push', () => this.request(this.opts.pushMethod ?? 'POST', url, { id: r.customerId, ...r.fields }), toCallError, this.retry);
        const created = typeof res.body?.created === 'boolean' ? res.body.created : res.status === 201;
        out.push({ customerId: r.customerId, outcome: created ? 'created' : 'updated', remoteId: res.body?.id !== undefined ? String(res.body.id) : undefined });
      } catch (e) {
        if (!(e instanceof ProviderCallError)) throw e;
        out.push({ customerId: r.customerId, outcome: 'failed', error: e.message });
      }
    }
    return out;
  }

  async pull(since: string | null, page: string | null): Promise<PullPage> {
    const url = new URL(this.opts.pullUrl!);
    if (since) url.searchParams.set('since', since);
    if (page) url.searchParams.set('cursor', page);
    const res = await withRetry('pull', () => this.request('GET', url.toString()), toCallError, this.retry);
    const body = res.body as unknown;
    const rows = (Array.isArray(body) ? body : ((body as { data?: unknown[] })?.data ?? [])) as Array<Record<string, unknown>>;
    const next = Array.isArray(body) ? null : ((body as { nextCursor?: string | null })?.nextCursor ?? null);
    const idField = this.opts.idField ?? 'id';
    const updatedField = this.opts.updatedAtField ?? 'updatedAt';
    const contacts: RemoteContact[] = rows.map((rec) => ({
      remoteId: String(rec[idField] ?? ''),
      fields: rec,
      customerId: null,
      modifiedAt: new Date(String(rec[updatedField] ?? 0)).toISOString(),
    }));
    return { contacts, nextPage: next };
  }

  private async request(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> | null }> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.creds.token ? { authorization: `Bearer ${this.creds.token}` } : {}),
          ...(this.creds.headers ?? {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new ProviderCallError(`${method} ${new URL(url).pathname}: ${(e as Error).message}`, null, true);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, body: parsed as Record<string, unknown> | null };
    const retryable = res.status === 429 || res.status >= 500;
    const detail = (parsed as { message?: string; error?: string } | null)?.message ?? (parsed as { error?: string } | null)?.error ?? text.slice(0, 200);
    throw new ProviderCallError(`HTTP ${res.status}: ${detail}`, res.status, retryable, retryable ? parseRetryAfter(res.headers.get('retry-after')) : null);
  }
}

function toCallError(e: unknown): ProviderCallError {
  return new ProviderCallError((e as Error).message, null, false);
}

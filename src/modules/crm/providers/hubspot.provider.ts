import { Client } from '@hubspot/api-client';
import { parseRetryAfter } from '../../../shared/retry-after';
import { CrmProvider, PullPage, PushRecord, PushResult, RemoteContact } from './crm-provider';
import { DEFAULT_RETRY, ProviderCallError, RetryPolicy, withRetry } from './provider-call';

export interface HubSpotCredentials {
  accessToken: string;
}

export interface HubSpotOptions {
  /** API host; only for proxies and tests (https://api.hubapi.com otherwise). */
  baseUrl?: string;
}

export const HUBSPOT_DEFAULT_BASE_URL = 'https://api.hubapi.com';
const BATCH_LIMIT = 100;
const SEARCH_LIMIT = 100;
/** HubSpot search pages stop at 10,000 results; past that, restart from the last modification time seen. */
const SEARCH_WINDOW = 9_900;

interface ApiErrorLike {
  code?: number;
  body?: { message?: string; category?: string };
  headers?: Record<string, string>;
  type?: string;
  message: string;
}

/**
 * HubSpot CRM v3 through @hubspot/api-client: contacts batch upsert by email (100 per call; a batch the API refuses
 * as a whole is retried record by record so one bad contact does not fail the others) and contacts search by
 * lastmodifieddate for pulls.
 */
export class HubSpotProvider implements CrmProvider {
  readonly pushBatchSize = BATCH_LIMIT;
  private readonly client: Client;

  constructor(
    creds: HubSpotCredentials,
    options: HubSpotOptions,
    private readonly mapping: Record<string, string>,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    // No numberOfApiCallRetries: its fixed waits ignore Retry-After; withRetry handles 429 and 5xx instead.
    this.client = new Client({ accessToken: creds.accessToken, basePath: options.baseUrl ?? HUBSPOT_DEFAULT_BASE_URL });
  }

  async push(records: PushRecord[]): Promise<PushResult[]> {
    const out: PushResult[] = [];
    const withEmail: PushRecord[] = [];
    for (const r of records) {
      if (r.email) withEmail.push(r);
      else out.push({ customerId: r.customerId, outcome: 'skipped', error: 'no email: HubSpot contacts are matched by email' });
    }
    if (withEmail.length) out.push(...(await this.upsert(withEmail)));
    return out;
  }

  private async upsert(records: PushRecord[]): Promise<PushResult[]> {
    const inputs = records.map((r) => ({ idProperty: 'email', id: r.email!, properties: asProperties(r.fields) }));
    let res: { results: Array<{ id: string; _new: boolean; properties: Record<string, string | null> }>; errors?: Array<{ message: string; context?: Record<string, string[]> }> };
    try {
      res = await this.call('HubSpot batch upsert', () => this.client.crm.contacts.batchApi.upsert({ inputs }));
    } catch (e) {
      if (!(e instanceof ProviderCallError)) throw e;
      if (records.length > 1) {
        const single: PushResult[] = [];
        for (const r of records) single.push(...(await this.upsert([r])));
        return single;
      }
      return [{ customerId: records[0].customerId, outcome: 'failed', error: e.message }];
    }
    const byEmail = new Map(res.results.map((x) => [String(x.properties.email ?? '').toLowerCase(), x]));
    return records.map((r) => {
      const hit = byEmail.get(r.email!.toLowerCase());
      if (hit) return { customerId: r.customerId, outcome: hit._new ? 'created' : 'updated', remoteId: hit.id };
      const err = res.errors?.find((x) => Object.values(x.context ?? {}).some((v) => v.includes(r.email!))) ?? res.errors?.[0];
      return { customerId: r.customerId, outcome: 'failed', error: err?.message ?? 'not in the upsert answer' };
    });
  }

  async pull(since: string | null, page: string | null): Promise<PullPage> {
    const state = page ? (JSON.parse(page) as { since: string | null; after?: string }) : { since };
    const properties = [...new Set(['email', 'lastmodifieddate', ...Object.values(this.mapping)])];
    const request = {
      filterGroups: state.since ? [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(Date.parse(state.since)) }] }] : [],
      // The API takes sort objects; the generated client types them as strings.
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
      properties,
      limit: SEARCH_LIMIT,
      ...(state.after ? { after: state.after } : {}),
    };
    const res = await this.call('HubSpot contacts search', () => this.client.crm.contacts.searchApi.doSearch(request as never));
    const contacts: RemoteContact[] = res.results.map((r) => ({
      remoteId: r.id,
      fields: r.properties,
      customerId: null,
      modifiedAt: new Date(r.properties.lastmodifieddate ?? r.updatedAt).toISOString(),
    }));
    const after = res.paging?.next?.after;
    if (!after) return { contacts, nextPage: null };
    if (Number(after) >= SEARCH_WINDOW && contacts.length) {
      return { contacts, nextPage: JSON.stringify({ since: contacts[contacts.length - 1].modifiedAt }) };
    }
    return { contacts, nextPage: JSON.stringify({ since: state.since, after }) };
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, fn, classify, this.retry);
  }
}

/** HubSpot properties are strings; null clears a property. */
function asProperties(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return out;
}

function classify(e: unknown): ProviderCallError {
  const err = e as ApiErrorLike;
  if (typeof err.code === 'number') {
    const ms = parseRetryAfter(err.headers?.['retry-after']);
    const message = `HTTP ${err.code}: ${err.body?.message ?? err.message}`.slice(0, 500);
    return new ProviderCallError(message, err.code, err.code === 429 || err.code >= 500, err.code === 429 ? ms : null);
  }
  // node-fetch system errors (refused, reset, DNS) are worth another try.
  return new ProviderCallError(err.message, null, err.type === 'system' || err.type === 'request-timeout', null);
}

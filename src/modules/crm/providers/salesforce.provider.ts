import { Connection, OAuth2, Record as SfRecord, TokenResponse } from 'jsforce';
import { CrmProvider, PullPage, PushRecord, PushResult, RemoteContact } from './crm-provider';
import { DEFAULT_RETRY, ProviderCallError, RetryPolicy, withRetry } from './provider-call';
import { RateAwareTransport } from './salesforce-transport';

export interface SalesforceCredentials {
  loginUrl?: string;
  clientId: string;
  clientSecret: string;
  /** With username and password: OAuth username-password flow; without: client-credentials flow. */
  username?: string;
  password?: string;
}

export interface SalesforceOptions {
  sobject?: string;
  /** External ID field on the object that holds the CustomerIQ customer id; upserts match on it. */
  externalIdField?: string;
  apiVersion?: string;
}

export const SALESFORCE_DEFAULTS = { loginUrl: 'https://login.salesforce.com', sobject: 'Contact', externalIdField: 'CustomerIQ_Id__c', apiVersion: '60.0' };
const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/**
 * Salesforce through jsforce: OAuth token, SOQL query (+ queryMore) for pulls, sObject Collections upsert by the
 * external-id field for pushes (200 records per call, allOrNone false so one bad record does not sink the batch).
 */
export class SalesforceProvider implements CrmProvider {
  readonly pushBatchSize = 200;
  private readonly transport = new RateAwareTransport();
  private conn: Connection | null = null;
  private readonly opts: Required<SalesforceOptions>;

  constructor(
    private readonly creds: SalesforceCredentials,
    options: SalesforceOptions,
    private readonly mapping: Record<string, string>,
    /** Refuses an instance URL the SSRF guard does not allow (the token answer names it). */
    private readonly checkUrl: (url: string) => Promise<void>,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.opts = { ...SALESFORCE_DEFAULTS, ...options } as Required<SalesforceOptions>;
  }

  private async connection(): Promise<Connection> {
    if (this.conn) return this.conn;
    const oauth2 = new OAuth2({ loginUrl: this.creds.loginUrl ?? SALESFORCE_DEFAULTS.loginUrl, clientId: this.creds.clientId, clientSecret: this.creds.clientSecret });
    oauth2._transport = this.transport;
    const token = await this.call('Salesforce OAuth token', () => this.requestToken(oauth2));
    await this.checkUrl(token.instance_url);
    const conn = new Connection({
      oauth2,
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: this.opts.apiVersion,
      // An expired session (401) asks for a new token the same way.
      refreshFn: (_c, callback) =>
        void this.requestToken(oauth2).then(
          (t) => void callback(null, t.access_token, t),
          (e: Error) => void callback(e),
        ),
    });
    conn._transport = this.transport;
    this.conn = conn;
    return conn;
  }

  private requestToken(oauth2: OAuth2): Promise<TokenResponse> {
    return this.creds.username
      ? oauth2.authenticate(this.creds.username, this.creds.password ?? '')
      : oauth2.requestToken({ grant_type: 'client_credentials' });
  }

  async push(records: PushRecord[]): Promise<PushResult[]> {
    const conn = await this.connection();
    const ext = this.opts.externalIdField;
    const rows = records.map((r) => ({ ...r.fields, [ext]: r.customerId }));
    let results: Array<{ id?: string; success: boolean; created?: boolean; errors?: Array<{ statusCode?: string; message?: string }> }>;
    try {
      results = (await this.call('Salesforce upsert', () => conn.sobject(this.opts.sobject).upsert(rows, ext, { allOrNone: false }) as Promise<unknown>)) as typeof results;
    } catch (e) {
      // The whole request was refused (bad field in the mapping, no access): every record fails with that reason.
      if (e instanceof ProviderCallError) return records.map((r) => ({ customerId: r.customerId, outcome: 'failed', error: e.message }));
      throw e;
    }
    return records.map((r, i) => {
      const res = results[i];
      if (res?.success) return { customerId: r.customerId, outcome: res.created ? 'created' : 'updated', remoteId: res.id };
      const error = (res?.errors ?? []).map((x) => `${x.statusCode ?? 'ERROR'}: ${x.message ?? ''}`).join('; ') || 'no result for this record';
      return { customerId: r.customerId, outcome: 'failed', error };
    });
  }

  async pull(since: string | null, page: string | null): Promise<PullPage> {
    const conn = await this.connection();
    const ext = this.opts.externalIdField;
    const fields = [...new Set(['Id', 'LastModifiedDate', ext, ...Object.values(this.mapping)])];
    // Field and object names are validated identifiers, so this string cannot carry SOQL from a tenant.
    const where = since ? ` WHERE LastModifiedDate >= ${new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z')}` : '';
    const soql = `SELECT ${fields.join(', ')} FROM ${this.opts.sobject}${where} ORDER BY LastModifiedDate ASC, Id ASC`;
    const result = await this.call('Salesforce query', () =>
      Promise.resolve(page ? conn.queryMore<SfRecord>(page) : conn.query<SfRecord>(soql, { autoFetch: false })),
    );
    const contacts: RemoteContact[] = result.records.map((rec) => {
      const { attributes: _a, ...values } = rec;
      return {
        remoteId: String(rec.Id),
        fields: values,
        customerId: typeof rec[ext] === 'string' && rec[ext] ? (rec[ext] as string) : null,
        modifiedAt: new Date(String(rec.LastModifiedDate)).toISOString(),
      };
    });
    return { contacts, nextPage: result.done ? null : (result.nextRecordsUrl ?? null) };
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, fn, (e) => this.classify(e), this.retry);
  }

  /** jsforce errors carry an errorCode but no status: the transport remembers the status and Retry-After. */
  private classify(e: unknown): ProviderCallError {
    const err = e as Error & { errorCode?: string; code?: string; name: string };
    const status = this.transport.lastStatus;
    const retryAfter = this.transport.lastRetryAfterMs;
    const code = err.errorCode ?? err.name;
    const limited = status === 429 || code === 'ERROR_HTTP_429' || code === 'REQUEST_LIMIT_EXCEEDED';
    const serverError = (status !== null && status >= 500) || /^ERROR_HTTP_5\d\d$/.test(code) || code === 'SERVER_UNAVAILABLE';
    const network = err.name === 'FetchError' || (err.code !== undefined && NETWORK_ERRORS.has(err.code));
    this.transport.lastRetryAfterMs = null;
    return new ProviderCallError(`${code}: ${err.message}`.slice(0, 500), status, limited || serverError || network, limited ? retryAfter : null);
  }
}

import { randomBytes } from 'crypto';
import { ServerResponse } from 'http';
import { HttpReceiver, ReceivedRequest } from './http-receiver';

export interface SfRecord {
  Id: string;
  LastModifiedDate: string;
  [field: string]: unknown;
}

const json = (res: ServerResponse, status: number, body: unknown): true => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
};

/**
 * The parts of the Salesforce REST API a CRM sync uses, on a local port: OAuth token (password and client
 * credentials grants), SOQL query with queryMore paging, and sObject Collections upsert by an external id field.
 * Contacts need a LastName, as in Salesforce. Failures (429, 5xx) are scripted with `http.once(...)`.
 */
export class FakeSalesforce {
  readonly http: HttpReceiver;
  readonly contacts = new Map<string, SfRecord>();
  clientId = 'sf-client';
  clientSecret = 'sf-secret';
  pageSize = 2;
  private readonly token = `tok-${randomBytes(4).toString('hex')}`;
  private seq = 0;

  constructor(readonly externalIdField = 'CustomerIQ_Id__c') {
    this.http = new HttpReceiver((req, res) => this.route(req, res));
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  get url(): string {
    return this.http.url('');
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** A contact created in Salesforce by someone else (for pulls). */
  seed(fields: Record<string, unknown>, modifiedAt = new Date()): SfRecord {
    const rec: SfRecord = { Id: this.newId(), LastModifiedDate: sfDate(modifiedAt), ...fields };
    this.contacts.set(rec.Id, rec);
    return rec;
  }

  byExternalId(id: string): SfRecord | undefined {
    return [...this.contacts.values()].find((c) => c[this.externalIdField] === id);
  }

  requests(method: string, pathPart: string): ReceivedRequest[] {
    return this.http.requests.filter((r) => r.method === method && r.path.includes(pathPart));
  }

  private newId(): string {
    return `003${String(++this.seq).padStart(15, '0')}`;
  }

  private route(req: ReceivedRequest, res: ServerResponse): boolean {
    if (req.method === 'POST' && req.path === '/services/oauth2/token') return this.tokenEndpoint(req, res);
    if (req.headers.authorization !== `Bearer ${this.token}`) return json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    const m = /^\/services\/data\/v[\d.]+\/(.*)$/.exec(req.path);
    if (!m) return json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'unknown resource' }]);
    if (req.method === 'GET' && m[1].startsWith('query?')) return this.query(new URLSearchParams(m[1].slice(6)).get('q') ?? '', res);
    if (req.method === 'GET' && m[1].startsWith('query/')) return this.page(m[1].slice(6), res);
    const up = /^composite\/sobjects\/(\w+)\/(\w+)$/.exec(m[1]);
    if (req.method === 'PATCH' && up) return this.upsert(up[2], req.json, res);
    return json(res, 404, [{ errorCode: 'NOT_FOUND', message: `no route ${req.method} ${m[1]}` }]);
  }

  private tokenEndpoint(req: ReceivedRequest, res: ServerResponse): boolean {
    const form = new URLSearchParams(req.body);
    const grant = form.get('grant_type');
    const okClient = form.get('client_id') === this.clientId && form.get('client_secret') === this.clientSecret;
    const okGrant = grant === 'client_credentials' || (grant === 'password' && form.get('username') && form.get('password'));
    if (!okClient || !okGrant) return json(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
    return json(res, 200, {
      access_token: this.token,
      instance_url: this.url,
      id: `${this.url}/id/00D000000000001AAA/005000000000001AAA`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: 'sig',
    });
  }

  /** Understands what the sync sends: SELECT <fields> FROM <object> [WHERE LastModifiedDate >= <iso>] ORDER BY ... */
  private query(soql: string, res: ServerResponse): boolean {
    const m = /^SELECT (.+) FROM (\w+)(?: WHERE LastModifiedDate >= (\S+))? ORDER BY LastModifiedDate ASC, Id ASC$/.exec(soql);
    if (!m) return json(res, 400, [{ errorCode: 'MALFORMED_QUERY', message: `unexpected SOQL: ${soql}` }]);
    const fields = m[1].split(',').map((f) => f.trim());
    const since = m[3] ? Date.parse(m[3]) : -Infinity;
    const rows = [...this.contacts.values()]
      .filter((c) => Date.parse(c.LastModifiedDate) >= since)
      .sort((a, b) => Date.parse(a.LastModifiedDate) - Date.parse(b.LastModifiedDate) || a.Id.localeCompare(b.Id))
      .map((c) => ({ attributes: { type: m[2], url: `/services/data/v60.0/sobjects/${m[2]}/${c.Id}` }, ...Object.fromEntries(fields.map((f) => [f, c[f] ?? null])) }));
    this.pages.set('all', rows);
    return this.page('all-0', res);
  }

  private readonly pages = new Map<string, unknown[]>();

  private page(locator: string, res: ServerResponse): boolean {
    const [key, offsetStr] = locator.split('-');
    const rows = this.pages.get(key) ?? [];
    const offset = Number(offsetStr);
    const next = offset + this.pageSize;
    const done = next >= rows.length;
    return json(res, 200, { totalSize: rows.length, done, records: rows.slice(offset, next), ...(done ? {} : { nextRecordsUrl: `/services/data/v60.0/query/${key}-${next}` }) });
  }

  private upsert(extField: string, body: { allOrNone: boolean; records: Array<Record<string, unknown>> }, res: ServerResponse): boolean {
    if (!body || !Array.isArray(body.records)) return json(res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'records expected' }]);
    if (body.records.length > 200) return json(res, 400, [{ errorCode: 'EXCEEDED_ID_LIMIT', message: 'more than 200 records' }]);
    const results = body.records.map((r) => {
      const { attributes: _a, ...fields } = r;
      const ext = fields[extField];
      const existing = typeof ext === 'string' ? this.byExternalId(ext) : undefined;
      const merged = { ...(existing ?? {}), ...fields };
      if (!merged.LastName) return { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }] };
      const rec = { ...merged, Id: existing?.Id ?? this.newId(), LastModifiedDate: sfDate(new Date()) } as SfRecord;
      this.contacts.set(rec.Id, rec);
      return { id: rec.Id, success: true, errors: [], created: !existing };
    });
    return json(res, 200, results);
  }
}

/** Salesforce's dateTime format: 2026-01-02T03:04:05.000+0000 */
function sfDate(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

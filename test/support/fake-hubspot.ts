import { randomBytes } from 'crypto';
import { ServerResponse } from 'http';
import { HttpReceiver, ReceivedRequest } from './http-receiver';

export interface HsContact {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

const json = (res: ServerResponse, status: number, body: unknown): true => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
};

/**
 * The parts of the HubSpot CRM v3 contacts API a sync uses, on a local port: batch upsert by email (at most 100
 * inputs; a batch with an invalid value is refused whole, as HubSpot does) and search by lastmodifieddate with
 * `after` paging. Emails at blocked.example count as invalid. Failures are scripted with `http.once(...)`.
 */
export class FakeHubSpot {
  readonly http: HttpReceiver;
  readonly contacts = new Map<string, HsContact>();
  readonly accessToken = `pat-${randomBytes(4).toString('hex')}`;
  private seq = 1000;

  constructor() {
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

  seed(properties: Record<string, string>, modifiedAt = new Date()): HsContact {
    const c: HsContact = { id: String(++this.seq), properties: { ...properties, lastmodifieddate: modifiedAt.toISOString() }, createdAt: modifiedAt.toISOString(), updatedAt: modifiedAt.toISOString() };
    this.contacts.set(c.id, c);
    return c;
  }

  byEmail(email: string): HsContact | undefined {
    return [...this.contacts.values()].find((c) => c.properties.email === email.toLowerCase());
  }

  requests(pathPart: string): ReceivedRequest[] {
    return this.http.requests.filter((r) => r.path.includes(pathPart));
  }

  private route(req: ReceivedRequest, res: ServerResponse): boolean {
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) return json(res, 401, { status: 'error', message: 'Authentication credentials not found', category: 'INVALID_AUTHENTICATION' });
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts/batch/upsert') return this.upsert(req.json, res);
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts/search') return this.search(req.json, res);
    return json(res, 404, { status: 'error', message: `no route ${req.method} ${req.path}` });
  }

  private upsert(body: { inputs: Array<{ idProperty?: string; id: string; properties: Record<string, string> }> }, res: ServerResponse): boolean {
    const inputs = body?.inputs ?? [];
    if (inputs.length > 100) return json(res, 400, { status: 'error', message: 'Batch size exceeds 100', category: 'VALIDATION_ERROR' });
    const bad = inputs.find((i) => i.idProperty !== 'email' || !/^[^@\s]+@[^@\s]+$/.test(i.id) || i.id.endsWith('@blocked.example'));
    if (bad) return json(res, 400, { status: 'error', message: `Property values were not valid: email ${bad.id}`, category: 'VALIDATION_ERROR', context: { ids: [bad.id] } });
    const now = new Date().toISOString();
    const results = inputs.map((i) => {
      const email = i.id.toLowerCase();
      const existing = this.byEmail(email);
      const c: HsContact = existing ?? { id: String(++this.seq), properties: {}, createdAt: now, updatedAt: now };
      c.properties = { ...c.properties, ...i.properties, email, lastmodifieddate: now };
      c.updatedAt = now;
      this.contacts.set(c.id, c);
      return { id: c.id, properties: c.properties, createdAt: c.createdAt, updatedAt: c.updatedAt, archived: false, new: !existing };
    });
    return json(res, 200, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
  }

  private search(body: { filterGroups?: Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>; limit?: number; after?: string; properties?: string[] }, res: ServerResponse): boolean {
    const f = body.filterGroups?.[0]?.filters?.[0];
    const since = f && f.propertyName === 'lastmodifieddate' && f.operator === 'GTE' ? Number(f.value) : -Infinity;
    const all = [...this.contacts.values()]
      .filter((c) => Date.parse(c.properties.lastmodifieddate) >= since)
      .sort((a, b) => Date.parse(a.properties.lastmodifieddate) - Date.parse(b.properties.lastmodifieddate) || Number(a.id) - Number(b.id));
    const offset = Number(body.after ?? 0);
    const limit = Math.min(body.limit ?? 10, 200);
    const page = all.slice(offset, offset + limit).map((c) => ({
      id: c.id,
      properties: Object.fromEntries((body.properties ?? Object.keys(c.properties)).map((p) => [p, c.properties[p] ?? null])),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      archived: false,
    }));
    const next = offset + limit < all.length ? { paging: { next: { after: String(offset + limit), link: '' } } } : {};
    return json(res, 200, { total: all.length, results: page, ...next });
  }
}

import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** Small seeded PRNG so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '\u0000',
  '\ud800',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'مرحبا بالعالم',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '\u202eevil\u202c',
  "' OR '1'='1",
  '"; DROP TABLE customers; --',
  '%',
  '_',
  '\\',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'a'.repeat(5000),
];
const ODD_VALUES: unknown[] = [
  ...ODD_STRINGS,
  null,
  0,
  -0,
  1.5,
  -1,
  Number.MAX_SAFE_INTEGER,
  1e308,
  true,
  false,
  [],
  [null],
  ['a', 1, {}],
  {},
  { $gt: '' },
  { constructor: { prototype: { polluted: true } } },
  JSON.parse('{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{}}}}}}}}}'),
];
const cursorOf = (v: unknown, id: string) => Buffer.from(JSON.stringify({ v, id })).toString('base64url');
const FIELDS = ['email', 'phone', 'firstName', 'lastName', 'companyName', 'externalId', 'type', 'status', 'tags', 'attributes', 'source', 'lastSeenAt', 'version'];
const QUERY_KEYS = ['q', 'limit', 'cursor', 'status', 'type', 'tags', 'tagsMode', 'sortBy', 'sortOrder', 'withTotal', 'includeDeleted', 'createdFrom', 'lastSeenTo', 'hard'];

describe('customer routes under odd input', () => {
  let t: TestApp;
  let a: TenantSession;
  let customerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerTenant(t);
    customerId = (await createCustomer(t, a.accessToken)).id;
  });
  afterAll(() => t.close());

  const failures: string[] = [];
  beforeEach(() => {
    failures.length = 0;
  });
  const check = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${a.accessToken}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload,
    });
    const envelopeOk = res.statusCode < 400 || (() => {
      try {
        return typeof res.json().error?.code === 'string';
      } catch {
        return false;
      }
    })();
    if (res.statusCode >= 500 || !envelopeOk) failures.push(`${res.statusCode} ${method} ${url.slice(0, 200)} ${payload?.slice(0, 200) ?? ''} -> ${res.body.slice(0, 300)}`);
  };

  it('answers whole bodies of the wrong shape with 4xx', async () => {
    const bodies = ['[]', '[{"email":"a@example.com"}]', 'null', '"a string"', '42', 'true', '{}', '{"email":null}', '{"tags":[[["deep"]]]}', '\u0000', '{"email":"\\ud800@example.com"}'];
    for (const body of bodies) {
      await check('POST', '/api/v1/customers', body);
      await check('PATCH', `/api/v1/customers/${customerId}`, body);
      await check('POST', `/api/v1/customers/${customerId}/addresses`, body);
      await check('POST', `/api/v1/customers/${customerId}/notes`, body);
      await check('PUT', `/api/v1/customers/${customerId}/preferences`, body);
    }
    await check('POST', '/api/v1/customers', '{"email":"x@example.com"}', { 'content-type': 'text/plain' });
    await check('POST', '/api/v1/customers', '<xml/>', { 'content-type': 'application/xml' });
    expect(failures).toEqual([]);
  });

  it('answers random odd field values without a 5xx', async () => {
    const rnd = mulberry32(20261123);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = {};
      const n = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) body[pick(FIELDS)] = pick(ODD_VALUES);
      if (rnd() < 0.3) body.email = `fuzz${i}@example.com`;
      const payload = JSON.stringify(body);
      await check(rnd() < 0.5 ? 'POST' : 'PATCH', rnd() < 0.5 ? '/api/v1/customers' : `/api/v1/customers/${customerId}`, payload);
    }
    expect(failures).toEqual([]);
  });

  it('answers odd, repeated, numeric-as-string and huge query strings without a 5xx', async () => {
    const rnd = mulberry32(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    for (let i = 0; i < 120; i++) {
      const parts: string[] = [];
      const n = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) {
        const key = pick(QUERY_KEYS);
        const value = pick(ODD_STRINGS).replace('\ud800', '%ED%A0%80');
        parts.push(`${rnd() < 0.2 ? `${key}[]` : key}=${rnd() < 0.8 ? encodeURIComponent(value.slice(0, 300)) : value.slice(0, 50)}`);
      }
      await check('GET', `/api/v1/customers?${parts.join('&')}`);
    }
    const fixed = [
      `/api/v1/customers?q=${'x'.repeat(60_000)}`,
      `/api/v1/customers?tags=${Array.from({ length: 2000 }, (_, i) => `t${i}`).join(',')}`,
      `/api/v1/customers?${Array.from({ length: 500 }, () => 'status=active').join('&')}`,
      '/api/v1/customers?limit=10&limit=20',
      '/api/v1/customers?limit=1e2',
      '/api/v1/customers?limit=0x10',
      '/api/v1/customers?limit=99999999999999999999999',
      '/api/v1/customers?withTotal=maybe',
      '/api/v1/customers?q=%E0%A4%A',
      '/api/v1/customers?q=%',
      '/api/v1/customers?sortBy=createdAt;DROP%20TABLE%20customers',
      '/api/v1/customers?createdFrom=2026-02-30T00:00:00Z',
      '/api/v1/customers?createdFrom=%2B275760-09-13T00:00:00.001Z',
      '/api/v1/customers?cursor=eyJ2Ijp7fSwiaWQiOjF9',
      `/api/v1/customers?cursor=${Buffer.from(JSON.stringify({ v: 'not a date', id: 'x' })).toString('base64url')}`,
      `/api/v1/customers?sortBy=lastSeenAt&cursor=${Buffer.from(JSON.stringify({ v: 12, id: 'x' })).toString('base64url')}`,
      `/api/v1/customers?q=zz&cursor=${Buffer.from(JSON.stringify({ v: -5, id: '' })).toString('base64url')}`,
      `/api/v1/customers?q=zz&cursor=${Buffer.from(JSON.stringify({ v: 1e300, id: '' })).toString('base64url')}`,
      `/api/v1/customers/${customerId}?hard=maybe`,
      `/api/v1/customers/${customerId}/notes?type=issue&type=${'x'.repeat(10_000)}`,
      `/api/v1/customers/${customerId.toUpperCase()}`,
      `/api/v1/customers/${customerId}%00`,
      `/api/v1/customers/${'a'.repeat(600)}`,
      '/api/v1/customers/%E0%A4%A',
      `/api/v1/customers/${customerId}/notes?cursor=${cursorOf('1|2026-01-01T00:00:00.000Z', 'x')}`,
      `/api/v1/customers/${customerId}/notes?cursor=${cursorOf('0|-271821-04-20T00:00:00.000Z', '00000000-0000-4000-8000-000000000000')}`,
      `/api/v1/customers/${customerId}/preferences/history?cursor=${cursorOf('2026-01-01T00:00:00.000Z', "x' OR 1=1 --")}`,
      `/api/v1/customers/${customerId}/preferences/history?cursor=${cursorOf('+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000')}`,
      `/api/v1/customers?cursor=${cursorOf('-271821-04-20T00:00:00.000Z', '00000000-0000-4000-8000-000000000000')}`,
      '/api/v1/customers/%',
      `/api/v1/customers/${customerId}/notes/%ZZ`,
    ];
    for (const url of fixed) await check('GET', url);
    await check('DELETE', `/api/v1/customers/${customerId}?hard=maybe`);
    expect(failures).toEqual([]);
  });
});

import { parseEnvelope } from './event-envelope';

const now = new Date('2026-11-01T12:00:00Z');
const ok = (raw: unknown, ctx = {}) => {
  const r = parseEnvelope(raw, { now, ...ctx });
  if (!('draft' in r)) throw new Error(JSON.stringify(r.rejection));
  return r.draft;
};
const fails = (raw: unknown, ctx = {}) => {
  const r = parseEnvelope(raw, { now, ...ctx });
  if (!('rejection' in r)) throw new Error('expected a rejection');
  return r.rejection.details;
};

describe('parseEnvelope', () => {
  it('accepts snake_case and camelCase alike and normalises the data to camelCase', () => {
    const a = ok({ id: 'e1', type: 'purchase', customer_id: 'pos-1', occurred_at: '2026-10-01T10:00:00Z', data: { order_id: 'o1', amount: 5 } });
    const b = ok({ id: 'e1', type: 'purchase', customerId: 'pos-1', occurredAt: '2026-10-01T10:00:00Z', data: { orderId: 'o1', amount: 5 } });
    expect(a).toEqual(b);
    expect(a).toMatchObject({ key: 'e1', customer: { externalId: 'pos-1' }, data: { orderId: 'o1', amount: 5 }, occurredAt: new Date('2026-10-01T10:00:00Z') });
  });

  it('takes type and customer reference from the subject, the key from the fallback, occurred_at defaults to now', () => {
    expect(ok({ data: {} }, { subjectRef: 'c-9', subjectType: 'login', fallbackKey: 'S:7' })).toEqual({
      key: 'S:7', type: 'login', customer: { externalId: 'c-9' }, occurredAt: now, source: null, data: {},
    });
  });

  it('maps the aliases repair and observation', () => {
    expect(ok({ type: 'repair', customer_id: 'x', data: { workOrderId: 'w', status: 'Open' } }).type).toBe('work_order');
    expect(ok({ type: 'observation', customer_id: 'x', data: { text: 'hi' } }).type).toBe('note');
  });

  it('a UUID customer_id names our customer; anything else is the publisher reference; email is the fallback', () => {
    expect(ok({ type: 'login', customer_id: '0B8F6F0E-3C4A-4A39-9D0C-5B2E8D7F1A20' }).customer).toEqual({ id: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' });
    expect(ok({ type: 'login', data: { email: ' Jane@Example.com ' } }).customer).toEqual({ email: 'jane@example.com' });
  });

  it('rejects occurred_at more than a day ahead, a subject/envelope type clash, both spellings of a field, unknown fields', () => {
    expect(fails({ type: 'login', customer_id: 'x', occurred_at: '2026-11-02T12:00:01Z' })).toEqual([{ field: 'occurred_at', message: 'is more than one day in the future' }]);
    expect(ok({ type: 'login', customer_id: 'x', occurred_at: '2026-11-02T11:59:59Z' }).occurredAt.toISOString()).toBe('2026-11-02T11:59:59.000Z');
    expect(fails({ type: 'login', data: {} }, { subjectRef: 'x', subjectType: 'usage' })[0]).toEqual({ field: 'type', message: 'is login but the subject says usage' });
    expect(fails({ type: 'login', customer_id: 'x', customerId: 'x' })[0].message).toMatch(/snake_case and camelCase/);
    expect(fails({ type: 'login', customer_id: 'x', tenant: 't' })).toEqual([{ field: 'tenant', message: 'is not an allowed field' }]);
  });

  it('validates data per type, naming the field', () => {
    expect(fails({ type: 'purchase', customer_id: 'x', data: { orderId: 'o', amount: '1' } })).toEqual([{ field: 'data.amount', message: 'must be a number' }]);
    expect(fails({ type: 'refund', customer_id: 'x', data: { orderId: 'o', amount: 0 } })).toEqual([{ field: 'data.amount', message: 'must be greater than 0' }]);
    expect(fails({ type: 'purchase', customer_id: 'x', data: { orderId: 'o', amount: 1, items: [{ sku: 'a', name: 'b', quantity: 0, unitPrice: 1 }] } })[0].field).toBe('data.items');
    expect(fails({ type: 'contact', customer_id: 'x', data: { channel: 'fax', direction: 'inbound' } })).toEqual([{ field: 'data.channel', message: 'must be one of email, sms, call, chat, visit' }]);
    expect(fails({ type: 'usage', customer_id: 'x', data: {} })).toEqual([{ field: 'data.apiCalls', message: 'is required' }]);
    expect(fails({ type: 'custom', customer_id: 'x', data: { name: 'n', properties: [1] } })[0].field).toBe('data.properties');
  });

  it('profile_update: UpdateCustomerDto rules, no identity or version changes, tags normalised', () => {
    expect(ok({ type: 'profile_update', customer_id: 'x', data: { fields: { first_name: ' Ann ', email: 'A@B.co' }, add_tags: ['VIP', 'vip'] } }).data).toEqual({
      fields: { firstName: 'Ann', email: 'a@b.co' }, addTags: ['vip'],
    });
    expect(fails({ type: 'profile_update', customer_id: 'x', data: { fields: { externalId: 'y', version: 3 } } }).map((d) => d.field)).toEqual(
      expect.arrayContaining(['data.fields.externalId', 'data.fields.version']),
    );
    expect(fails({ type: 'profile_update', customer_id: 'x', data: { fields: { status: 'gone' } } })[0].field).toBe('data.fields.status');
    expect(fails({ type: 'profile_update', customer_id: 'x', data: {} })).toEqual([{ field: 'data', message: 'needs fields, addTags or removeTags' }]);
  });
});

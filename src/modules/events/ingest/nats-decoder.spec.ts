import { IncomingMessage } from '../../../infra/messaging';
import { decodeNatsMessage, encodePayload, parseSubject } from './nats-decoder';

const now = new Date('2026-11-01T12:00:00Z');
const msg = (subject: string, body: string | Uint8Array, msgId: string | null = null): IncomingMessage => ({
  subject, data: typeof body === 'string' ? Buffer.from(body) : body, headers: null, msgId, stream: 'S', streamSeq: 42, deliveryCount: 1,
});

describe('NATS message decoding', () => {
  it('parses both subject forms under a multi-token prefix', () => {
    expect(parseSubject('customer.events.acme.c-1.purchase', 'customer.events')).toEqual({ tenantRef: 'acme', customerRef: 'c-1', eventType: 'purchase' });
    expect(parseSubject('customer.events.c-1.purchase', 'customer.events')).toEqual({ customerRef: 'c-1', eventType: 'purchase' });
    expect(parseSubject('customer.events.a.b.c.d', 'customer.events')).toBeNull();
    expect(parseSubject('other.events.a.b', 'customer.events')).toBeNull();
  });

  it('identity: envelope id, else Nats-Msg-Id, else stream:sequence', () => {
    const key = (body: string, msgId: string | null) => {
      const d = decodeNatsMessage(msg('customer.events.acme.c.login', body, msgId), { subjectPrefix: 'customer.events' }, now);
      return 'draft' in d ? d.draft.key : null;
    };
    expect(key('{"id":"e-1"}', 'm-1')).toBe('e-1');
    expect(key('{}', 'm-1')).toBe('m-1');
    expect(key('{}', null)).toBe('S:42');
  });

  it('a customerRef of _ leaves the customer to the envelope (email)', () => {
    const d = decodeNatsMessage(msg('customer.events.acme._.login', '{"email":"a@b.co"}'), { subjectPrefix: 'customer.events' }, now);
    expect(d).toMatchObject({ draft: { customer: { email: 'a@b.co' } } });
  });

  it('the seed form needs DEFAULT_TENANT', () => {
    const m = msg('customer.events.c-1.login', '{}');
    expect(decodeNatsMessage(m, { subjectPrefix: 'customer.events', defaultTenant: 'demo' }, now)).toMatchObject({ tenantRef: 'demo', draft: { type: 'login' } });
    expect(decodeNatsMessage(m, { subjectPrefix: 'customer.events' }, now)).toMatchObject({ rejection: { code: 'TENANT_NOT_FOUND' } });
  });

  it('rejects malformed JSON and non-UTF-8 bodies; dead letters keep the latter as base64', () => {
    const cfg = { subjectPrefix: 'customer.events' };
    expect(decodeNatsMessage(msg('customer.events.t.c.login', '{"a":'), cfg, now)).toMatchObject({ rejection: { message: expect.stringMatching(/^Malformed JSON/) } });
    const bytes = new Uint8Array([0xc3, 0x28]);
    expect(decodeNatsMessage(msg('customer.events.t.c.login', bytes), cfg, now)).toMatchObject({ rejection: { message: 'Malformed payload: not UTF-8 text' } });
    expect(encodePayload(bytes)).toEqual({ payload: 'wyg=', encoding: 'base64' });
    expect(encodePayload(Buffer.from('{"ok":"é"}'))).toEqual({ payload: '{"ok":"é"}', encoding: 'utf8' });
  });
});

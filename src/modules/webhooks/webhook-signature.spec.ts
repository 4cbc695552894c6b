import { createHmac } from 'crypto';
import { deterministicEventId, signatureHeader, verifySignature } from './webhook-signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'e1', type: 'customer.created', data: { a: 1 } });

  it('signs "t.body" with HMAC-SHA256 as the issue specifies', () => {
    const header = signatureHeader(['whsec_a'], 1700000000, body);
    const expected = createHmac('sha256', 'whsec_a').update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it('sends one v1 per secret during a rotation and each secret verifies', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], 1700000000, body);
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(verifySignature('whsec_new', header, body, 1700000000)).toBe(true);
    expect(verifySignature('whsec_old', header, body, 1700000000)).toBe(true);
    expect(verifySignature('whsec_other', header, body, 1700000000)).toBe(false);
  });

  it('rejects a changed body and a replayed old timestamp', () => {
    const header = signatureHeader(['whsec_a'], 1700000000, body);
    expect(verifySignature('whsec_a', header, `${body} `, 1700000000)).toBe(false);
    expect(verifySignature('whsec_a', header, body, 1700000000 + 301)).toBe(false);
  });

  it('derives the same UUID for the same type and key, another for another type', () => {
    const a = deterministicEventId('campaign.send', 'c1:u1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('campaign.send', 'c1:u1')).toBe(a);
    expect(deterministicEventId('event.ingested', 'c1:u1')).not.toBe(a);
  });
});

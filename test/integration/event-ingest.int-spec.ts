import { DataSource } from 'typeorm';
import { IncomingMessage } from '../../src/infra/messaging';
import { EventIngestService } from '../../src/modules/events';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** The message path of ingestion against a real database, without a broker: what a batch from the stream becomes. */
describe('EventIngestService.ingestMessages (real database)', () => {
  let t: TestApp;
  let s: TenantSession;
  let svc: EventIngestService;
  let ds: DataSource;
  let seq = 0;
  const prefix = 'customer.events';
  const msg = (subject: string, body: unknown, extra: Partial<IncomingMessage> = {}): IncomingMessage => ({
    subject, data: body instanceof Uint8Array ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), headers: null, msgId: null,
    stream: 'INT', streamSeq: ++seq, deliveryCount: 1, ...extra,
  });
  const deadLetter = async (m: IncomingMessage) =>
    (await ds.query(`SELECT tenant_id, reason, attempts, payload, payload_encoding FROM dead_letters WHERE message_key = '${m.stream}:${m.streamSeq}'`))[0];

  beforeAll(async () => {
    t = await createTestApp({ EVENTS_MAX_DELIVERIES: '3' });
    s = await registerTenant(t);
    svc = t.app.get(EventIngestService);
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('acks every message of a mixed batch: events stored, bad ones dead-lettered in the same commit', async () => {
    const good = msg(`${prefix}.${s.slug}.m-1.login`, { id: 'int-1' });
    const bad = msg(`${prefix}.${s.slug}.m-1.usage`, { data: { apiCalls: -1 } });
    const dup = msg(`${prefix}.${s.slug}.m-1.login`, { id: 'int-1' });
    expect(await svc.ingestMessages([good, bad, dup])).toEqual([{ action: 'ack' }, { action: 'ack' }, { action: 'ack' }]);
    expect(Number((await ds.query("SELECT COUNT(*) AS n FROM customer_events WHERE event_key = 'int-1'"))[0].n)).toBe(1);
    expect((await deadLetter(bad)).reason).toMatch(/data\.apiCalls: must be an integer/);
    expect(await deadLetter(dup)).toBeUndefined();
  });

  it('dead-letters a message delivered more times than allowed without processing it', async () => {
    const m = msg(`${prefix}.${s.slug}.m-2.login`, { id: 'int-2' }, { deliveryCount: 4 });
    expect(await svc.ingestMessages([m])).toEqual([{ action: 'ack' }]);
    expect(await deadLetter(m)).toMatchObject({ tenant_id: s.tenantId, attempts: 4 });
    expect((await deadLetter(m)).reason).toMatch(/Delivered 4 times without completing \(limit 3\)/);
    expect(Number((await ds.query("SELECT COUNT(*) AS n FROM customer_events WHERE event_key = 'int-2'"))[0].n)).toBe(0);
  });

  it('dead-letters a body over 1 MB, and a subject that is not customer.events.[tenant.]ref.type', async () => {
    const big = msg(`${prefix}.${s.slug}.m-3.custom`, Buffer.alloc(1024 * 1024 + 1, 0x20));
    const odd = msg(`${prefix}.${s.slug}.a.b.c.login`, {});
    await svc.ingestMessages([big, odd]);
    expect((await deadLetter(big)).reason).toMatch(/PAYLOAD_TOO_LARGE.*limit is 1 MB/);
    expect((await deadLetter(odd)).reason).toMatch(/is not customer\.events\.\{tenant\}\.\{customerRef\}\.\{eventType\}/);
  });

  it('a redelivered dead-lettering adds no second dead letter', async () => {
    const m = msg(`${prefix}.${s.slug}.m-4.login`, 'not json');
    await svc.ingestMessages([m]);
    await svc.ingestMessages([{ ...m, deliveryCount: 2 }]);
    expect(Number((await ds.query(`SELECT COUNT(*) AS n FROM dead_letters WHERE message_key = '${m.stream}:${m.streamSeq}'`))[0].n)).toBe(1);
  });
});

import { DataSource } from 'typeorm';
import { JobQueue } from '../../src/infra/queue';
import { CampaignsService } from '../../src/modules/campaigns';
import { CampaignSender } from '../../src/modules/campaigns/campaign-sender.service';
import { CampaignRecipient } from '../../src/modules/campaigns/entities/campaign-recipient.entity';
import { Campaign } from '../../src/modules/campaigns/entities/campaign.entity';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { HttpReceiver } from '../support/http-receiver';
import { createTestApp, TestApp } from '../support/test-app';

describe('Campaigns: audience, consent, campaign.send webhooks, stats', () => {
  let t: TestApp;
  let s: TenantSession;
  let r: HttpReceiver;
  let jobs: JobQueue;

  /** Sets preferences through the API, then lets the segment jobs bring membership up to date. */
  const prefs = async (customerId: string, p: { consent?: boolean; doNotContact?: boolean; email?: boolean; sms?: boolean }) => {
    const res = await t.request({
      method: 'PUT',
      url: `/api/v1/customers/${customerId}/preferences`,
      token: s.accessToken,
      body: { channels: { email: p.email ?? true, sms: p.sms ?? true, call: true, push: true }, doNotContact: p.doNotContact ?? false, marketingConsent: { granted: p.consent ?? true, source: 'test' } },
    });
    if (res.statusCode !== 200) throw new Error(res.body);
    await jobs.drain();
  };
  let spring: string;
  const create = (body: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/v1/campaigns', token: s.accessToken, body });
  const campaign = (extra: Record<string, unknown> = {}) => ({ name: 'Spring', segmentId: spring, channel: 'email', template: { subject: 'Hi {{firstName}}', body: 'Spring offer' }, ...extra });

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    jobs = t.app.get(JobQueue);
    r = await new HttpReceiver().start();
  });
  beforeEach(async () => {
    s = await registerTenant(t);
    r.requests.length = 0;
    // The audience: a real segment of the segments module (customers tagged spring).
    const seg = await t.request({ method: 'POST', url: '/api/v1/segments', token: s.accessToken, body: { name: 'Spring', rule: { all: [{ field: 'tags', op: 'contains', value: 'spring' }] } } });
    spring = seg.json().id;
    await t.request({ method: 'POST', url: '/api/v1/webhooks', token: s.accessToken, body: { url: r.url(), events: ['campaign.send'] } });
  });
  afterAll(async () => {
    await r.close();
    await t.close();
  });

  it('emits one campaign.send per eligible customer and counts the excluded by reason', async () => {
    const ok1 = await createCustomer(t, s.accessToken, { tags: ['spring'], firstName: 'Ok1' });
    const ok2 = await createCustomer(t, s.accessToken, { tags: ['spring'] });
    const dnc = await createCustomer(t, s.accessToken, { tags: ['spring'] });
    await createCustomer(t, s.accessToken, { tags: ['spring'] }); // no preferences: no consent
    const noConsent = await createCustomer(t, s.accessToken, { tags: ['spring'] });
    const optOut = await createCustomer(t, s.accessToken, { tags: ['spring'] });
    const noEmail = await createCustomer(t, s.accessToken, { tags: ['spring'], email: undefined, phone: '+14155550100' });
    const outside = await createCustomer(t, s.accessToken, { tags: ['other'] });
    await prefs(ok1.id, {});
    await prefs(ok2.id, { sms: false });
    await prefs(dnc.id, { doNotContact: true });
    await prefs(noConsent.id, { consent: false });
    await prefs(optOut.id, { email: false });
    await prefs(noEmail.id, {});
    await prefs(outside.id, {});
    const created = (await create(campaign())).json();
    expect(created.status).toBe('draft');
    const started = await t.request({ method: 'POST', url: `/api/v1/campaigns/${created.id}/send`, token: s.accessToken });
    expect(started.statusCode).toBe(202);
    await jobs.drain();
    expect(r.requests.map((q) => q.json.data.customerId).sort()).toEqual([ok1.id, ok2.id].sort());
    const first = r.requests.find((q) => q.json.data.customerId === ok1.id)!;
    expect(first.json).toMatchObject({ type: 'campaign.send', data: { campaign: { id: created.id, channel: 'email' }, template: { subject: 'Hi {{firstName}}' }, recipient: { email: ok1.email, firstName: 'Ok1' } } });
    const stats = (await t.request({ method: 'GET', url: `/api/v1/campaigns/${created.id}/stats`, token: s.accessToken })).json();
    expect(stats).toEqual({
      campaignId: created.id,
      status: 'sent',
      processed: 7,
      sent: 2,
      excluded: 5,
      excludedByReason: { doNotContact: 1, noConsent: 2, channelOptOut: 1, missingContact: 1, notFound: 0 },
    });
    const job = (await t.request({ method: 'GET', url: `/api/v1/jobs/${started.json().jobId}`, token: s.accessToken })).json();
    expect(job).toMatchObject({ state: 'completed', progress: { processed: 7, sent: 2, excluded: 5 } });
    expect((await t.request({ method: 'POST', url: `/api/v1/campaigns/${created.id}/send`, token: s.accessToken })).statusCode).toBe(409);
  });

  it('does not send twice when a send resumes after a crash', async () => {
    const c1 = await createCustomer(t, s.accessToken, { tags: ['spring'] });
    await prefs(c1.id, {});
    const created = (await create(campaign())).json();
    await t.request({ method: 'POST', url: `/api/v1/campaigns/${created.id}/send`, token: s.accessToken });
    await jobs.drain();
    expect(r.requests).toHaveLength(1);
    // As if the worker died after emitting but before recording the recipient: run the send again.
    await t.app.get(DataSource).manager.update(Campaign, { id: created.id }, { status: 'sending' });
    await t.app.get(DataSource).manager.delete(CampaignRecipient, { campaignId: created.id });
    await t.app.get(CampaignSender).send(created.id);
    await jobs.drain();
    expect(r.requests).toHaveLength(1);
    const hooks = (await t.request({ method: 'GET', url: '/api/v1/webhooks', token: s.accessToken })).json().data;
    expect((await t.request({ method: 'GET', url: `/api/v1/webhooks/${hooks[0].id}/deliveries`, token: s.accessToken })).json().data).toHaveLength(1);
    expect((await t.request({ method: 'GET', url: `/api/v1/campaigns/${created.id}/stats`, token: s.accessToken })).json()).toMatchObject({ processed: 1, sent: 1, status: 'sent' });
  });

  it('sends a scheduled campaign once when its time comes', async () => {
    const c1 = await createCustomer(t, s.accessToken, { tags: ['spring'] });
    await prefs(c1.id, {});
    const at = new Date(Date.now() + 3600_000).toISOString();
    const created = (await create(campaign({ scheduledAt: at }))).json();
    expect(created.status).toBe('scheduled');
    const svc = t.app.get(CampaignsService);
    expect(await svc.dispatchDue(new Date())).toBe(0);
    const [a, b] = await Promise.all([svc.dispatchDue(new Date(Date.parse(at) + 1000)), svc.dispatchDue(new Date(Date.parse(at) + 1000))]);
    expect(a + b).toBe(1);
    await jobs.drain();
    expect(r.requests).toHaveLength(1);
    expect((await t.request({ method: 'GET', url: `/api/v1/campaigns/${created.id}`, token: s.accessToken })).json().status).toBe('sent');
  });

  it('cancels a scheduled campaign, which then neither sends nor changes', async () => {
    const created = (await create(campaign({ scheduledAt: new Date(Date.now() + 3600_000).toISOString() }))).json();
    const cancelled = await t.request({ method: 'POST', url: `/api/v1/campaigns/${created.id}/cancel`, token: s.accessToken });
    expect(cancelled.json().status).toBe('cancelled');
    expect((await t.request({ method: 'POST', url: `/api/v1/campaigns/${created.id}/send`, token: s.accessToken })).statusCode).toBe(409);
    expect((await t.request({ method: 'PATCH', url: `/api/v1/campaigns/${created.id}`, token: s.accessToken, body: { name: 'x' } })).statusCode).toBe(409);
    expect(await t.app.get(CampaignsService).dispatchDue(new Date(Date.now() + 7200_000))).toBe(0);
  });

  it('refuses bad input, naming the field', async () => {
    const field = async (body: Record<string, unknown>) => {
      const res = await create(body);
      expect(res.statusCode).toBe(400);
      return [...new Set((res.json().error.details as Array<{ field: string }>).map((d) => d.field))];
    };
    expect(await field(campaign({ segmentId: 'no-such-segment' }))).toEqual(['segmentId']);
    expect(await field(campaign({ template: { body: 'no subject' } }))).toEqual(['template.subject']);
    expect(await field(campaign({ channel: 'fax' }))).toEqual(['channel']);
    expect(await field(campaign({ scheduledAt: '2020-01-01T00:00:00Z' }))).toEqual(['scheduledAt']);
    expect(await field(campaign({ template: { subject: 's' } }))).toEqual(['template.body']);
    const other = await registerTenant(t);
    const mine = (await create(campaign())).json();
    expect((await t.request({ method: 'GET', url: `/api/v1/campaigns/${mine.id}/stats`, token: other.accessToken })).statusCode).toBe(404);
  });
});

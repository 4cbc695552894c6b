import { randomBytes, randomUUID } from 'crypto';
import { existsSync, mkdirSync } from 'fs';
import { join, resolve } from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { JobQueue } from '../../src/infra/queue';
import { EventStreamService } from '../../src/modules/events';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { eventually } from '../support/eventually';
import { createTestApp, TestApp } from '../support/test-app';

// The built dashboard is served from dist/dashboard: CI runs `npm run build` before the tests.
const BUILT = resolve(__dirname, '../../dist/dashboard/index.html');
const ARTIFACTS = resolve(__dirname, '../../test-artifacts/dashboard');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const UI_TIMEOUT = 15_000;

jest.setTimeout(90_000);

describe('web dashboard in a real browser (playwright-core + chromium)', () => {
  let t: TestApp;
  let s: TenantSession;
  let base: string;
  let browser: Browser;
  let page: Page;
  const suffix = randomBytes(3).toString('hex');
  const lastName = `Quokka${suffix}`;
  let star: Record<string, any>;
  let shaky: Record<string, any>;
  const api = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await t.request({ method, url: `/api/v1${url}`, token: s.accessToken, body });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const shot = async (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const ev = (customer: string, type: string, data: object) => ({ id: randomUUID(), type, customer_id: customer, data });

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` (it builds the dashboard) before the dashboard tests`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    s = await registerTenant(t);
    star = await createCustomer(t, s.accessToken, { firstName: 'Stella', lastName, tags: ['vip'] });
    shaky = await createCustomer(t, s.accessToken, { firstName: 'Shaky', lastName: `Wombat${suffix}` });
    await api('POST', '/events', {
      events: [
        ev(star.id, 'usage', { apiCalls: 6000 }), ...Array.from({ length: 30 }, () => ev(star.id, 'login', {})),
        ...['T-1', 'T-2', 'T-3'].map((ticketId) => ev(shaky.id, 'support_ticket', { ticketId, subject: 'Outage', severity: 'critical', status: 'open' })),
      ],
    });
    await t.app.get(JobQueue).drain(30_000);
    await api('POST', '/health-score/recompute');
    await t.app.get(JobQueue).drain(30_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(UI_TIMEOUT);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    process.stdout.write(`dashboard screenshots: ${ARTIFACTS}\n`);
  });

  it('shows a message for a wrong password and stays on the login page', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/dashboard`);
    await page.getByTestId('login-email').fill(s.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor({ state: 'visible' });
    await expect(page.getByTestId('login-error').textContent()).resolves.toBe('Wrong email or password.');
    expect(page.url()).toContain('#/login');
    await expect(page.getByTestId('login-submit').isEnabled()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await shot('01-login-bad-password');
  });

  it('logs in and shows the overview figures the API gives', async () => {
    await page.getByTestId('login-password').fill(s.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('card-customers').waitFor();
    const o = await api('GET', '/analytics/overview');
    expect(o.customers).toBe(2);
    await expect(page.getByTestId('card-customers').textContent()).resolves.toBe(o.customers.toLocaleString('en-US'));
    await expect(page.getByTestId('card-active').textContent()).resolves.toBe(o.active30d.toLocaleString('en-US'));
    await expect(page.getByTestId('card-health').textContent()).resolves.toBe(o.averageHealth.toLocaleString('en-US', { maximumFractionDigits: 1 }));
    await expect(page.getByTestId('card-tickets').textContent()).resolves.toBe(String(o.openTickets));
    await expect(page.getByTestId('card-revenue').textContent()).resolves.toBe(o.revenue30d.toLocaleString('en-US', { style: 'currency', currency: o.currency, maximumFractionDigits: 2 }));
    await page.getByTestId('chart-bands').waitFor();
    await page.getByTestId('chart-health-trend').waitFor();
    await shot('02-overview');
  });

  it('lists at-risk and critical customers with their reasons on the risk radar', async () => {
    await page.click('header a[href="#/risk"]');
    const row = page.locator(`[data-testid="risk-table"] tr[data-customer-id="${shaky.id}"]`);
    await row.waitFor();
    await expect(row.locator('[data-reason="open_critical_tickets"]').count()).resolves.toBe(1);
    await expect(page.locator(`[data-testid="risk-table"] tr[data-customer-id="${star.id}"]`).count()).resolves.toBe(0);
    await shot('03-risk-radar');
  });

  it('draws 30 days of usage and the login heatmap from the analytics API', async () => {
    await page.click('header a[href="#/activity"]');
    await page.getByTestId('usage-total').waitFor();
    await expect(page.getByTestId('usage-total').textContent()).resolves.toBe('6,000');
    await expect(page.getByTestId('logins-total').textContent()).resolves.toBe('30');
    await expect(page.locator('[data-testid="login-heatmap"] tbody tr').count()).resolves.toBe(7);
    await expect(page.locator('[data-testid="login-heatmap"] td[data-count="30"]').count()).resolves.toBe(1);
    await shot('04-usage-and-logins');
  });

  it('searches customers and opens the 360 page', async () => {
    await page.click('header a[href="#/customers"]');
    await page.getByTestId('customer-search').fill(lastName);
    await page.getByTestId('customer-search-submit').click();
    // The search navigates (#/customers?q=...) and renders a new list: the unfiltered one may still be on screen, or
    // already gone while the search loads, right after the click.
    await page.waitForURL(/#\/customers\?q=/);
    await page.waitForFunction(`document.querySelectorAll('[data-testid="customer-table"] tbody tr').length === 1`, undefined, { timeout: 15_000 }).catch(() => undefined);
    await page.locator(`[data-testid="customer-table"] tr[data-customer-id="${star.id}"]`).waitFor();
    await expect(page.locator('[data-testid="customer-table"] tbody tr').count()).resolves.toBe(1);
    await shot('05-customer-search');

    await page.locator(`tr[data-customer-id="${star.id}"] a`).click();
    await page.getByTestId('customer-name').waitFor();
    await expect(page.getByTestId('customer-name').textContent()).resolves.toBe(`Stella ${lastName}`);
    const health = await api('GET', `/customers/${star.id}/health`);
    await expect(page.getByTestId('health-score').textContent()).resolves.toBe(String(health.score));
    for (const id of ['section-profile', 'section-metrics', 'section-loyalty', 'section-notes', 'section-timeline']) await page.getByTestId(id).waitFor();
    await expect(page.getByTestId('section-profile').textContent()).resolves.toContain(star.email);
    await shot('06-customer-360');
  });

  it('adds a note and shows it', async () => {
    const text = `Prefers calls after 4 pm (${suffix})`;
    await page.getByTestId('note-body').fill(text);
    await page.getByTestId('note-submit').click();
    await page.locator('[data-testid="note-list"] li', { hasText: text }).waitFor();
    const notes = await api('GET', `/customers/${star.id}/notes`);
    expect(notes.data.map((n: { body: string }) => n.body)).toContain(text);
    await shot('07-note-added');
  });

  it('shows an event published through the API on the open page without a reload', async () => {
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.locator('[data-testid="live-status"][data-state="on"]').waitFor();
    // The browser's stream is registered on the server before the event is published, so it cannot miss it.
    await eventually(() => t.app.get(EventStreamService).openStreams >= 1, 10_000, 'browser stream registered');
    const subject = `Live ticket ${suffix}`;
    const res = await api('POST', '/events', ev(star.id, 'support_ticket', { ticketId: `L-${suffix}`, subject, severity: 'low', status: 'open' }));
    expect(res.accepted).toBe(1);
    await page.locator('[data-testid="timeline"] li', { hasText: subject }).waitFor();
    await expect(page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await shot('08-live-event');
  });
});

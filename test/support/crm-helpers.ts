import { JobQueue } from '../../src/infra/queue';
import type { TestApp } from './test-app';

/** Starts a sync through the API, waits for its job, and returns the run as the API shows it. */
export async function syncAndWait(t: TestApp, token: string, connectionId: string, full = false): Promise<Record<string, any>> {
  const res = await t.request({ method: 'POST', url: `/api/v1/crm/connections/${connectionId}/sync`, token, body: { full } });
  if (res.statusCode !== 202) throw new Error(`sync not started: ${res.statusCode} ${res.body}`);
  const { runId, jobId } = res.json();
  await t.app.get(JobQueue).drain(60_000);
  const run = (await t.request({ method: 'GET', url: `/api/v1/crm/connections/${connectionId}/runs/${runId}`, token })).json();
  return { ...run, jobId };
}

export async function createConnection(t: TestApp, token: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await t.request({ method: 'POST', url: '/api/v1/crm/connections', token, body });
  if (res.statusCode !== 201) throw new Error(`connection not created: ${res.statusCode} ${res.body}`);
  return res.json();
}

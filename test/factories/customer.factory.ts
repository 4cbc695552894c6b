import { randomBytes } from 'crypto';
import type { TestApp } from '../support/test-app';

let n = 0;

/** A valid customer body; override any field. */
export function customerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  const tag = randomBytes(3).toString('hex');
  return { email: `customer-${tag}-${n}@example.com`, firstName: `First${n}`, lastName: `Last${tag}`, ...overrides };
}

/** Creates a customer through the API and returns the response body. */
export async function createCustomer(t: TestApp, token: string, overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t.request({ method: 'POST', url: '/api/v1/customers', token, body: customerBody(overrides) });
  if (res.statusCode !== 201) throw new Error(`customer create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

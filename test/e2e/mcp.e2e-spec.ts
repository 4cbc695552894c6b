import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { assertMcpBuilt, httpMcpClient, stdioMcpClient } from '../support/mcp-clients';
import { createTestApp, TestApp } from '../support/test-app';

const TOOLS = [
  'add_note', 'create_customer_profile', 'get_customer_context', 'get_health_score', 'get_loyalty',
  'list_at_risk_customers', 'record_event', 'search_customers', 'update_customer',
];
const WRITES: Array<[string, (id: string) => Record<string, unknown>]> = [
  ['create_customer_profile', () => ({ firstName: 'Vic' })],
  ['update_customer', (id) => ({ customerId: id, lastName: 'Nope' })],
  ['add_note', (id) => ({ customerId: id, type: 'issue', body: 'viewer note' })],
  ['record_event', (id) => ({ customerId: id, type: 'login', data: {} })],
];

interface ToolAnswer { isError: boolean; json: any; text: string }

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  const r = await client.callTool({ name, arguments: args });
  const text = (r.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { isError: r.isError === true, json, text };
}

describe('MCP server', () => {
  let t: TestApp;
  let s: TenantSession;
  let agentToken: string;
  let viewerToken: string;
  let baseUrl: string;
  let customer: Record<string, any>;
  let foreign: Record<string, any>;

  beforeAll(async () => {
    assertMcpBuilt();
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await t.app.getUrl();
    s = await registerTenant(t);
    agentToken = await tokenForRole(t, s, 'agent');
    viewerToken = await tokenForRole(t, s, 'viewer');
    customer = await createCustomer(t, s.accessToken, { firstName: 'Zed', lastName: 'Quill', email: 'zed.quill@example.com' });
    const other = await registerTenant(t);
    foreign = await createCustomer(t, other.accessToken, { firstName: 'Foreign' });
  });
  afterAll(() => t?.close());

  describe.each([['Streamable HTTP'], ['stdio']])('over %s', (transport) => {
    let agent: Client;
    let viewer: Client;
    const connect = (token: string) => (transport === 'stdio' ? stdioMcpClient(t, token) : httpMcpClient(baseUrl, token));

    beforeAll(async () => {
      [agent, viewer] = await Promise.all([connect(agentToken), connect(viewerToken)]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([agent?.close(), viewer?.close()]);
    });

    it('lists the nine tools, each with an input schema', async () => {
      const { tools } = await agent.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual(TOOLS);
      for (const tool of tools) expect(tool.inputSchema).toMatchObject({ type: 'object', properties: expect.any(Object) });
      const health = tools.find((x) => x.name === 'get_health_score')!;
      expect(health.inputSchema.required).toEqual(['customerId']);
    });

    it('calls every tool through the same services as the REST API', async () => {
      const found = await call(agent, 'search_customers', { query: 'Zed Quill' });
      expect(found.isError).toBe(false);
      expect(found.json.data.map((c: { id: string }) => c.id)).toContain(customer.id);

      const created = await call(agent, 'create_customer_profile', { firstName: 'Mia', email: `mia-${transport.length}@example.com`, tags: ['mcp'] });
      expect(created.isError).toBe(false);
      expect(created.json).toMatchObject({ firstName: 'Mia', tags: ['mcp'], version: 1 });
      const updated = await call(agent, 'update_customer', { customerId: created.json.id, lastName: 'Stone', phone: '+14155550123' });
      expect(updated.json).toMatchObject({ lastName: 'Stone', phone: '+14155550123' });

      const note = await call(agent, 'add_note', { customerId: customer.id, type: 'issue', body: `Late delivery (${transport})`, pinned: true });
      expect(note.json).toMatchObject({ customerId: customer.id, pinned: true, type: 'issue' });
      const event = await call(agent, 'record_event', {
        customerId: customer.id, type: 'support_ticket', data: { ticketId: `T-${transport.length}`, subject: 'Cannot log in', severity: 'high', status: 'open' },
      });
      expect(event.json).toMatchObject({ status: 'accepted', customerId: customer.id });

      const health = await call(agent, 'get_health_score', { customerId: customer.id });
      expect(health.json).toMatchObject({ customerId: customer.id, band: expect.any(String), components: expect.any(Object) });
      const risk = await call(agent, 'list_at_risk_customers', { limit: 5 });
      expect(Array.isArray(risk.json.data)).toBe(true);
      const loyalty = await call(agent, 'get_loyalty', { customerId: customer.id });
      expect(loyalty.json).toMatchObject({ customerId: customer.id, tier: expect.any(String) });
      const ctx = await call(agent, 'get_customer_context', { customerId: customer.id, maxTokens: 500 });
      expect(ctx.json).toMatchObject({ format: 'markdown', piiMasked: true, maxTokens: 500 });
      expect(ctx.json.tokens).toBeLessThanOrEqual(500);
      expect(ctx.json.content).toContain('z***@example.com');
      expect(ctx.json.content).toContain('Late delivery');

      const rest = await t.request({ method: 'GET', url: `/api/v1/customers/${created.json.id}`, token: s.accessToken });
      expect(rest.json()).toMatchObject({ lastName: 'Stone' });
    });

    it('reads the customer://{id} resource as masked Markdown', async () => {
      const { contents } = await viewer.readResource({ uri: `customer://${customer.id}` });
      expect(contents[0]).toMatchObject({ uri: `customer://${customer.id}`, mimeType: 'text/markdown' });
      const text = (contents[0] as { text: string }).text;
      expect(text).toContain('# Customer context');
      expect(text).toContain('Name: Zed Quill');
      expect(text).not.toContain('zed.quill@example.com');
    });

    it.each(WRITES)('refuses %s to a viewer token', async (tool, args) => {
      const r = await call(viewer, tool, args(customer.id));
      expect(r.isError).toBe(true);
      expect(r.json.error).toMatchObject({ code: 'FORBIDDEN' });
      expect(r.json.error.message).toContain('agent');
    });

    it('lets a viewer read', async () => {
      expect((await call(viewer, 'get_loyalty', { customerId: customer.id })).isError).toBe(false);
    });

    it("answers not found for another tenant's customer", async () => {
      for (const tool of ['get_health_score', 'get_loyalty', 'get_customer_context']) {
        const r = await call(agent, tool, { customerId: foreign.id });
        expect(r.isError).toBe(true);
        expect(r.json.error.code).toBe('CUSTOMER_NOT_FOUND');
      }
      const note = await call(agent, 'add_note', { customerId: foreign.id, type: 'issue', body: 'x' });
      expect(note.json.error.code).toBe('CUSTOMER_NOT_FOUND');
      const event = await call(agent, 'record_event', { customerId: foreign.id, type: 'login' });
      expect(event.isError).toBe(true);
      await expect(agent.readResource({ uri: `customer://${foreign.id}` })).rejects.toThrow(/not found/);
    });

    it('answers missing or wrong-typed arguments with an MCP error naming the argument', async () => {
      const missing = await call(agent, 'get_health_score', {});
      expect(missing.isError).toBe(true);
      expect(missing.text).toMatch(/Invalid arguments.*customerId/s);
      const wrongType = await call(agent, 'list_at_risk_customers', { limit: 'ten' });
      expect(wrongType.isError).toBe(true);
      expect(wrongType.text).toContain('limit');
      const badEnum = await call(agent, 'add_note', { customerId: customer.id, type: 'gossip', body: 'x' });
      expect(badEnum.text).toContain('type');
    });

    it('rejects an invalid email the same way as REST', async () => {
      const r = await call(agent, 'create_customer_profile', { email: 'not-an-email' });
      expect(r.isError).toBe(true);
      expect(r.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'email', message: 'email must be an email' }] });
      const rest = await t.request({ method: 'POST', url: '/api/v1/customers', token: agentToken, body: { email: 'not-an-email' } });
      expect(rest.json().error.details).toEqual(r.json.error.details);
    });
  });

  describe('/mcp over HTTP', () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } };
    const post = (headers: Record<string, string>) =>
      fetch(`${baseUrl}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(initialize) });

    it('answers 401 without a token', async () => {
      const res = await post({});
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.code).toBe('UNAUTHORIZED');
    });

    it('answers 401 with a bad token', async () => {
      expect((await post({ authorization: 'Bearer not.a.token' })).status).toBe(401);
      expect((await post({ authorization: `Bearer ${agentToken.slice(0, -3)}abc` })).status).toBe(401);
    });

    it('answers an initialize request with the server info', async () => {
      const res = await post({ authorization: `Bearer ${viewerToken}` });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).result.serverInfo).toMatchObject({ name: 'customeriq' });
    });
  });

  it('stdio server refuses to start with a bad token', async () => {
    await expect(stdioMcpClient(t, `${agentToken.slice(0, -3)}abc`)).rejects.toThrow(/CUSTOMERIQ_TOKEN is not accepted/);
  });
});

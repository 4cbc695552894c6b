import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AuthPrincipal } from '../../infra/auth';
import { AppError, ErrorCode } from '../../shared/app-error';
import { AI_CONTEXT_FORMATS, AI_CONTEXT_MAX_TOKENS, AI_CONTEXT_MIN_TOKENS } from '../ai-context';
import type { McpServices } from './mcp-services';
import { addTool, runTool } from './mcp-tool-result';

const customerId = z.string().uuid().describe('Customer id (UUID) from search_customers');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Read-only tools (context, health, churn risk, loyalty) and the customer://{id} resource. */
export function registerInsightTools(server: McpServer, s: McpServices, p: AuthPrincipal): void {
  addTool(server, 'get_customer_context', {
    description: 'A compact, ranked summary of one customer for your prompt: profile, contact preferences (doNotContact), health with reasons, ' +
      'open tickets, pinned notes, metrics, loyalty, recent events. Contact details are masked unless an admin asks with pii=true.',
    input: z.object({
      customerId,
      format: z.enum(AI_CONTEXT_FORMATS).optional().describe('markdown (default) or json'),
      maxTokens: z.number().int().min(AI_CONTEXT_MIN_TOKENS).max(AI_CONTEXT_MAX_TOKENS).optional().describe('Token budget, default 2000'),
      pii: z.boolean().optional().describe('Unmasked email, phone and addresses (admin or owner only)'),
    }),
    readOnly: true,
  }, (a) => runTool(p, 'get_customer_context', 'viewer', () => s.aiContext.build(p, a.customerId, a)));

  addTool(server, 'get_health_score', {
    description: 'The health score (0-100), band (healthy, at_risk, critical) and the components behind it (usage, engagement, incidents) of one customer.',
    input: z.object({ customerId }),
    readOnly: true,
  }, (a) => runTool(p, 'get_health_score', 'viewer', () => s.health.getHealth(p.tenantId, a.customerId)));

  addTool(server, 'list_at_risk_customers', {
    description: 'Customers most likely to churn, riskiest first, each with its reasons (low or falling health, overdue purchase, open critical tickets).',
    input: z.object({ limit: z.number().int().min(1).max(100).optional().describe('How many, default 20') }),
    readOnly: true,
  }, (a) => runTool(p, 'list_at_risk_customers', 'viewer', async () => (await s.risk.churnRisk(p.tenantId, a.limit ?? 20)).value));

  addTool(server, 'get_loyalty', {
    description: 'Loyalty of one customer: tier, points balance, points to the next tier, points expiring soon, pending downgrade.',
    input: z.object({ customerId }),
    readOnly: true,
  }, (a) => runTool(p, 'get_loyalty', 'viewer', () => s.loyalty.getLoyaltySummary(p.tenantId, a.customerId)));

  server.registerResource('customer', new ResourceTemplate('customer://{id}', { list: undefined }), {
    title: 'Customer context',
    description: 'The ranked, PII-masked customer summary (as get_customer_context, Markdown, 2000 tokens)',
    mimeType: 'text/markdown',
  }, async (uri, vars) => {
    const id = String(vars.id);
    // A resource read has no tool result to carry an error: it fails as a JSON-RPC error with the same message.
    if (!UUID.test(id)) throw new AppError(ErrorCode.VALIDATION_FAILED, `id: must be a UUID (got ${id})`, [{ field: 'id', message: 'must be a UUID' }]);
    const ctx = await s.aiContext.build(p, id, { format: 'markdown' });
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: String(ctx.content) }] };
  });
}

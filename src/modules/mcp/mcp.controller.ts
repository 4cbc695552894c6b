import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthPrincipal, CurrentPrincipal, Roles } from '../../infra/auth';
import { McpServerFactory } from './mcp-server.factory';

const METHOD_NOT_ALLOWED = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless, use POST' }, id: null });

/**
 * MCP over Streamable HTTP at /mcp, stateless: every POST gets its own server bound to the caller's token.
 * Viewers may call it (reads); each write tool checks for agent+ itself, as REST routes do.
 */
@ApiTags('mcp')
@ApiBearerAuth()
@Roles('viewer')
@Controller('mcp')
export class McpController {
  constructor(private readonly servers: McpServerFactory) {}

  @Post()
  @ApiOperation({ summary: 'MCP Streamable HTTP endpoint (JSON-RPC 2.0)', description: 'Tools: get_customer_context, search_customers, create_customer_profile, update_customer, add_note, record_event, get_health_score, list_at_risk_customers, get_loyalty; resource customer://{id}. Same bearer JWT as the REST API; tenant and role come from it.' })
  @ApiBody({ schema: { type: 'object', example: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} } } })
  @ApiOkResponse({ description: 'JSON-RPC response (application/json)' })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' })
  async post(@CurrentPrincipal() principal: AuthPrincipal, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const server = this.servers.create(principal);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    reply.hijack();
    reply.raw.setHeader('X-Request-Id', String(req.id));
    await transport.handleRequest(req.raw, reply.raw, req.body);
  }

  @Get()
  @ApiOperation({ summary: 'Not used: no server-sent event stream in stateless mode (405)' })
  get(@Res() reply: FastifyReply): void {
    void reply.code(405).header('Allow', 'POST').header('content-type', 'application/json').send(METHOD_NOT_ALLOWED);
  }

  @Delete()
  @ApiOperation({ summary: 'Not used: there are no sessions to end in stateless mode (405)' })
  remove(@Res() reply: FastifyReply): void {
    void reply.code(405).header('Allow', 'POST').header('content-type', 'application/json').send(METHOD_NOT_ALLOWED);
  }
}

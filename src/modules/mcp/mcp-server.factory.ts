import { Injectable } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AuthPrincipal } from '../../infra/auth';
import { AiContextService } from '../ai-context';
import { RiskAnalyticsService } from '../analytics';
import { CustomersService } from '../customers';
import { EventIngestService } from '../events';
import { HealthScoreService } from '../health-score';
import { LoyaltyService } from '../loyalty';
import { NotesService } from '../notes';
import { registerCustomerTools } from './customer-tools';
import { registerInsightTools } from './insight-tools';
import { McpServices } from './mcp-services';

export const MCP_SERVER_INFO = { name: 'customeriq', version: '0.1.0' };

/** Builds an MCP server whose every tool acts as `principal`: its tenant scopes each call, its role gates writes. */
@Injectable()
export class McpServerFactory {
  private readonly services: McpServices;

  constructor(
    customers: CustomersService,
    notes: NotesService,
    ingest: EventIngestService,
    health: HealthScoreService,
    risk: RiskAnalyticsService,
    loyalty: LoyaltyService,
    aiContext: AiContextService,
  ) {
    this.services = { customers, notes, ingest, health, risk, loyalty, aiContext };
  }

  create(principal: AuthPrincipal): McpServer {
    const server = new McpServer(MCP_SERVER_INFO, {
      instructions: 'CustomerIQ: customer profiles, health, churn risk and loyalty of one tenant. Respect doNotContact in get_customer_context.',
    });
    registerInsightTools(server, this.services, principal);
    registerCustomerTools(server, this.services, principal);
    return server;
  }
}

import type { AiContextService } from '../ai-context';
import type { RiskAnalyticsService } from '../analytics';
import type { CustomersService } from '../customers';
import type { EventIngestService } from '../events';
import type { HealthScoreService } from '../health-score';
import type { LoyaltyService } from '../loyalty';
import type { NotesService } from '../notes';

/** The services behind the MCP tools: the same ones the REST controllers call. */
export interface McpServices {
  customers: CustomersService;
  notes: NotesService;
  ingest: EventIngestService;
  health: HealthScoreService;
  risk: RiskAnalyticsService;
  loyalty: LoyaltyService;
  aiContext: AiContextService;
}

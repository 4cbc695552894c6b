import { Module } from '@nestjs/common';
import { AiContextModule } from '../ai-context';
import { AnalyticsModule } from '../analytics';
import { CustomersModule } from '../customers';
import { EventsModule } from '../events';
import { HealthScoreModule } from '../health-score';
import { LoyaltyModule } from '../loyalty';
import { NotesModule } from '../notes';
import { McpServerFactory } from './mcp-server.factory';
import { McpController } from './mcp.controller';

/** The MCP server: tools and resources over the same services as REST, at /mcp (HTTP) and `npm run mcp` (stdio). */
@Module({
  imports: [CustomersModule, NotesModule, EventsModule, HealthScoreModule, AnalyticsModule, LoyaltyModule, AiContextModule],
  controllers: [McpController],
  providers: [McpServerFactory],
  exports: [McpServerFactory],
})
export class McpModule {}

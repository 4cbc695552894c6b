export { McpModule } from './mcp.module';
export { McpServerFactory, MCP_SERVER_INFO } from './mcp-server.factory';

import 'reflect-metadata';
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { AppConfig, loadAppConfig, useAppConfig } from '../src/config/app-config';
import { fail } from './support/cli';

const USAGE = 'usage: CUSTOMERIQ_TOKEN=$(npm run -s token -- --tenant <slug> --role agent) npm run mcp';

/** Nest's own messages before pino takes over: stderr too, since stdout carries the protocol. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context = '', logLevel: LogLevel = 'log'): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

/**
 * npm run mcp — the MCP server over stdio for desktop AI assistants. Boots the application without HTTP, acts as
 * the principal in CUSTOMERIQ_TOKEN (its tenant and role), and keeps stdout for JSON-RPC: every log goes to stderr.
 */
async function main(): Promise<void> {
  let base: AppConfig;
  try {
    base = loadAppConfig();
  } catch (e) {
    fail((e as Error).message);
  }
  const token = base.mcp.token;
  if (!token) fail(`CUSTOMERIQ_TOKEN is not set.\n${USAGE}`);
  // No cron schedules here: the API server runs them; this process only answers its one client.
  useAppConfig({ ...base, logDestination: 'stderr', scheduleJobs: false });
  const { NestFactory } = await import('@nestjs/core');
  const { Logger } = await import('nestjs-pino');
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const { AppModule } = await import('../src/app.module');
  const { AccessTokenVerifier } = await import('../src/infra/auth');
  const { McpServerFactory } = await import('../src/modules/mcp');

  const app = await NestFactory.createApplicationContext(AppModule, { logger: new StderrLogger(), bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  let principal;
  try {
    principal = app.get(AccessTokenVerifier).verify(token);
  } catch (e) {
    await app.close();
    fail(`CUSTOMERIQ_TOKEN is not accepted: ${(e as Error).message}\n${USAGE}`);
  }
  const server = app.get(McpServerFactory).create(principal);
  const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  process.stderr.write(`customeriq MCP server on stdio (tenant ${principal.tenantId}, role ${principal.role})\n`);
  // The client ends the session by closing our stdin (or by a signal).
  process.stdin.on('end', () => void server.close());
  process.once('SIGTERM', () => void server.close());
  process.once('SIGINT', () => void server.close());
  await closed;
  await app.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)),
);

import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TestApp } from './test-app';

export const MCP_SCRIPT = join(__dirname, '..', '..', 'dist', 'scripts', 'mcp.js');

/** The stdio server runs from the build, as `npm run mcp` does: CI builds before testing. */
export function assertMcpBuilt(): void {
  if (!existsSync(MCP_SCRIPT)) throw new Error(`${MCP_SCRIPT} is missing: run \`npm run build\` before the MCP e2e tests`);
}

/** An MCP client on the test app's /mcp endpoint (the app must listen on a port). */
export async function httpMcpClient(baseUrl: string, token: string): Promise<Client> {
  const client = new Client({ name: 'customeriq-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** An MCP client on `node dist/scripts/mcp.js` pointed at the test app's database, acting with `token`. */
export async function stdioMcpClient(t: TestApp, token: string): Promise<Client> {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MCP_SCRIPT],
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: t.db.url,
      DATABASE_MIGRATE: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'ciq-mcp-')),
      JWT_SECRET: t.config.jwt.secret,
      LOG_LEVEL: 'warn',
      CUSTOMERIQ_TOKEN: token,
    },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const client = new Client({ name: 'customeriq-test', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (e) {
    throw new Error(`stdio MCP server did not start: ${(e as Error).message}\n${stderr.join('')}`);
  }
  return client;
}

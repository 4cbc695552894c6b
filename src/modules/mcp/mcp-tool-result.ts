import { Logger } from '@nestjs/common';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z, ZodObject, ZodRawShape } from 'zod';
import { AuthPrincipal, Role, roleAtLeast } from '../../infra/auth';
import { AppError, ErrorCode } from '../../shared/app-error';

const log = new Logger('McpTools');

/** A tool's answer: the JSON value as text (what every MCP client shows the model). */
export function jsonResult(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

/** A failed call as an MCP tool error: the same code, message and field details as the REST error envelope. */
export function errorResult(e: unknown): CallToolResult {
  const err = e instanceof AppError ? e : null;
  if (!err) log.error(`MCP tool failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  const error = err ? { code: err.code, message: err.message, details: err.details ?? null } : { code: ErrorCode.INTERNAL, message: 'Unexpected error', details: null };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error }) }] };
}

/** Runs a tool for `principal` after the same role check as REST (reads: viewer, writes: agent), mapping errors. */
export async function runTool(principal: AuthPrincipal, tool: string, required: Role, work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    if (!roleAtLeast(principal.role, required)) {
      throw new AppError(ErrorCode.FORBIDDEN, `${tool} needs the ${required} role or higher (this token has ${principal.role})`, { required });
    }
    return jsonResult(await work());
  } catch (e) {
    return errorResult(e);
  }
}

/** Drops undefined keys so an omitted tool argument is absent, not an explicit undefined, for DTO validation. */
export function defined<T extends object>(args: T): Partial<T> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface ToolSpec<S extends ZodRawShape> {
  description: string;
  input: ZodObject<S>;
  readOnly?: boolean;
}

type LooseRegisterTool = (
  name: string,
  config: { description: string; inputSchema: ZodRawShape; annotations: { readOnlyHint: boolean } },
  cb: (args: unknown) => Promise<CallToolResult>,
) => unknown;

/**
 * server.registerTool with the argument type taken from our zod object. Letting TypeScript infer it through the
 * SDK's zod v3/v4 compatibility types costs minutes of type checking ("excessively deep"); the SDK still validates
 * the arguments against `input` before `run` is called.
 */
export function addTool<S extends ZodRawShape>(server: McpServer, name: string, spec: ToolSpec<S>, run: (args: z.infer<ZodObject<S>>) => Promise<CallToolResult>): void {
  const register = server.registerTool.bind(server) as unknown as LooseRegisterTool;
  register(name, { description: spec.description, inputSchema: spec.input.shape, annotations: { readOnlyHint: spec.readOnly === true } }, (args) =>
    run(args as z.infer<ZodObject<S>>));
}

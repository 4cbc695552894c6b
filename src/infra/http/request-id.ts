import { randomUUID } from 'crypto';
import type { IncomingMessage } from 'http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes X-Request-Id when it is sane, else makes one; fastify echoes it through the onSend hook in main.ts. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value && SAFE_ID.test(value) ? value : randomUUID();
}

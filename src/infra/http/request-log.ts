import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, ServerResponse } from 'http';
import { Store, storage } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import type { AuthPrincipal } from '../auth/roles';

/** What the log reads of a fastify request; `user` is set by JwtAuthGuard once the token is verified. */
interface LoggedRequest {
  id: string;
  raw: IncomingMessage;
  user?: AuthPrincipal;
}

interface RequestFields {
  id: string;
  method: string | undefined;
  url: string | undefined;
}

/**
 * The request scope nestjs-pino's PinoLogger reads (store.logger): logs written while a request runs carry its
 * `req` binding. The child logger is made on first use: most requests log nothing but their own line, and a pino
 * child per request was a visible share of the CPU of GET /customers/:id.
 */
class RequestLogScope {
  private bound: Logger | undefined;
  readonly responseLogger = undefined;

  constructor(
    private readonly root: Logger,
    private readonly req: RequestFields,
  ) {}

  get logger(): Logger {
    return (this.bound ??= this.root.child({ req: this.req }));
  }

  /** PinoLogger.assign() replaces the scope's logger with a child of it. */
  set logger(logger: Logger) {
    this.bound = logger;
  }
}

/**
 * One JSON line per request when its response closes: { req: { id, method, url }, tenantId, res: { statusCode },
 * responseTime, msg }, at info level, 'request errored' with an err for 5xx. The lines are those pino-http wrote as
 * a Nest middleware (through @fastify/middie), written from fastify hooks instead; /health is logged as it was (the
 * middleware's ignore rule never matched: middie had rewritten the url to '/'); Swagger UI and dashboard files, which
 * the middleware did not reach, get their line too.
 * Registered first, so everything after it (hooks, guards, the handler, the error filter) runs in the request scope.
 */
export function registerRequestLog(app: NestFastifyApplication, root: Logger): void {
  app.getHttpAdapter().getInstance().addHook('onRequest', requestLogHook(root));
}

/** The onRequest hook of registerRequestLog (exported for its unit test). */
export function requestLogHook(root: Logger) {
  return (req: LoggedRequest, reply: { raw: ServerResponse }, done: () => void): void => {
    const raw = req.raw;
    const fields: RequestFields = { id: req.id, method: raw.method, url: raw.url };
    const started = Date.now();
    reply.raw.once('close', () => logLine(root, req, reply.raw, fields, Date.now() - started));
    storage.run(new RequestLogScope(root, fields) as unknown as Store, done);
  };
}

function logLine(root: Logger, req: LoggedRequest, res: ServerResponse, fields: RequestFields, responseTime: number): void {
  // The tenant comes from the verified token (JwtAuthGuard); absent on public routes and refused requests.
  const tenantId = req.user?.tenantId;
  const status = { statusCode: res.statusCode };
  if (res.statusCode >= 500) {
    root.info({ req: fields, tenantId, res: status, err: new Error(`failed with status code ${res.statusCode}`), responseTime }, 'request errored');
  } else {
    root.info({ req: fields, tenantId, res: status, responseTime }, 'request completed');
  }
}

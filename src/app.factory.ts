import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { createValidationPipe, ErrorEnvelopeFilter, registerRequestLog, registerSecurityHeaders, requestIdOf, toEnvelope } from './infra/http';
import { JetStreamBatchServer, MAX_MESSAGE_BYTES } from './infra/messaging';
import { CUSTOMER_EVENTS_BATCH, EventTransportsShutdown } from './modules/events';
import { setupDashboard } from './dashboard';
import { setupSwagger } from './swagger';

export const BODY_LIMIT_BYTES = 1024 * 1024;

interface MinimalReply {
  code(status: number): MinimalReply;
  header(name: string, value: string): MinimalReply;
  send(body: unknown): unknown;
}

function renderFrameworkError(error: Error, req: { id: unknown }, reply: MinimalReply): void {
  const { status, body } = toEnvelope(error, String(req.id));
  void reply.code(status).header('X-Request-Id', String(req.id)).send(body);
}

/** Builds the HTTP application: fastify, global pipe and filter, helmet, CORS, request ids, Swagger. */
export async function createApp(config: AppConfig, opts: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    trustProxy: true,
    routerOptions: { maxParamLength: 500 },
    // Router-level failures (undecodable URL, over-long path parameter) never reach Nest: render the envelope here.
    frameworkErrors: renderFrameworkError as never,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true, abortOnError: false });
  // First hook of every request: what runs after it logs in the request's scope. Outside a request, the logger
  // PinoLogger hands out is the root one.
  registerRequestLog(app, (await app.resolve(PinoLogger)).logger);
  if (opts.logger !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);
  // /mcp is where MCP clients look by convention (Streamable HTTP), outside the versioned REST API.
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/ready', 'mcp'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['X-Request-Id', 'ETag', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'] });
  const fastify = app.getHttpAdapter().getInstance();
  // A callback hook: an async one costs a promise (and its async-context bookkeeping) per request.
  fastify.addHook('onSend', (req, reply, payload, done) => {
    void reply.header('X-Request-Id', req.id);
    done(null, payload);
  });
  // Swagger UI needs inline scripts and styles; everything else keeps helmet's defaults.
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'", "https: 'unsafe-inline'"],
      },
    },
  });
  setupSwagger(app);
  setupDashboard(app);
  if (config.natsUrl) {
    const strategy = createJetStreamServer(config);
    app.connectMicroservice({ strategy });
    // Closed first at shutdown, so the follow-up jobs of its last batches still find their queues.
    app.get(EventTransportsShutdown).track(strategy);
  }
  app.enableShutdownHooks();
  return app;
}

/** The NATS JetStream transport feeding the events module (started by app.startAllMicroservices()). */
export function createJetStreamServer(config: AppConfig): JetStreamBatchServer {
  return new JetStreamBatchServer({
    servers: config.natsUrl!,
    stream: config.nats.stream,
    subjectPrefix: config.nats.subjectPrefix,
    durable: config.nats.durable,
    pattern: CUSTOMER_EVENTS_BATCH,
    batchSize: config.events.batchSize,
    // SQLite has a single writer: more than one batch at a time would only queue.
    concurrency: config.database.driver === 'sqlite' ? 1 : config.events.concurrency,
    ackWaitMs: config.events.ackWaitMs,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    maxAckPending: Math.max(10_000, config.events.batchSize * (config.events.concurrency + 1) * 4),
  });
}

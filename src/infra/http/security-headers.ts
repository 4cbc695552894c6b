import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServerResponse } from 'http';
import helmet, { HelmetOptions } from 'helmet';

/** The headers helmet's middleware sets for `options`, in its order, found by running it once on a recording response. */
export function helmetHeaders(options: HelmetOptions): Array<[string, string | number | readonly string[]]> {
  const headers: Array<[string, string | number | readonly string[]]> = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, value]),
    // helmet removes X-Powered-By; nothing has set a header when the hook below runs (first thing of a request).
    removeHeader: () => undefined,
  };
  // helmet throws on an invalid option (it also takes a callback, which it never calls with an error since 8.1).
  helmet(options)({} as never, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * helmet's security headers on every response, set where @fastify/helmet set them (raw response, onRequest), from
 * a list computed at start-up: @fastify/helmet builds the helmet middleware again (parses the CSP directives,
 * validates every option) on each request, a visible share of the CPU of GET /customers/:id. Its reply.helmet()
 * and CSP nonces are not offered (nothing used them).
 */
export function registerSecurityHeaders(app: NestFastifyApplication, options: HelmetOptions): void {
  const headers = helmetHeaders(options);
  app.getHttpAdapter().getInstance().addHook('onRequest', (_req, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    done();
  });
}

import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/** How the receiver answers one request: a status, a slow answer, a dropped connection, or a custom reply. */
export type Behaviour =
  | number
  | 'slow'
  | 'close'
  | { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number };

/**
 * A local HTTP server on 127.0.0.1 and an ephemeral port, answering from a script of behaviours (then 200).
 * Used as a webhook receiver and as the base for the fake CRM APIs.
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: Behaviour[] = [];
  private readonly rules: Array<{ match: (req: ReceivedRequest) => boolean; behaviour: Behaviour }> = [];
  private server?: Server;
  private port = 0;
  /** Slow answers wait this long: longer than the client timeout the test configures. */
  slowMs = 1500;

  constructor(private readonly handler?: (req: ReceivedRequest, res: ServerResponse) => boolean | Promise<boolean>) {}

  /** Queues behaviours for the next requests, in order. */
  behave(...b: Behaviour[]): this {
    this.script.push(...b);
    return this;
  }

  /** Answers the next request that matches with `behaviour` (once), whatever comes before it. */
  once(match: (req: ReceivedRequest) => boolean, behaviour: Behaviour): this {
    this.rules.push({ match, behaviour });
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown = null;
    try {
      json = body ? JSON.parse(body) : null;
    } catch {
      json = null;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const received: ReceivedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body, json };
    this.requests.push(received);
    const rule = this.rules.findIndex((r) => r.match(received));
    if (rule >= 0) return this.answer(this.rules.splice(rule, 1)[0].behaviour, res);
    const b = this.script.shift();
    if (b !== undefined) return this.answer(b, res);
    if (this.handler && (await this.handler(received, res))) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }

  private async answer(b: Behaviour, res: ServerResponse): Promise<void> {
    if (b === 'close') {
      res.socket?.destroy();
      return;
    }
    if (b === 'slow') {
      await new Promise((r) => setTimeout(r, this.slowMs));
      if (!res.socket?.destroyed) res.writeHead(200).end('late');
      return;
    }
    if (typeof b === 'number') {
      res.writeHead(b, { 'content-type': 'text/plain' }).end(`status ${b}`);
      return;
    }
    if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
    res.writeHead(b.status, { 'content-type': 'application/json', ...(b.headers ?? {}) }).end(b.body === undefined ? '' : JSON.stringify(b.body));
  }
}

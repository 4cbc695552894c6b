import { EventEmitter } from 'events';
import type { IncomingMessage, ServerResponse } from 'http';
import { PassThrough } from 'stream';
import { storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { requestLogHook } from './request-log';

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach((l) => lines.push(JSON.parse(l))));
  const root = pino({ level: 'info' }, out);
  const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as ServerResponse;
  const req = { id: 'req-1', raw: { method: 'GET', url: '/api/v1/customers?q=ann' } as IncomingMessage, user: undefined as { tenantId: string } | undefined };
  return { lines, root, res, req, flush: () => new Promise((r) => setImmediate(r)) };
}

describe('requestLogHook', () => {
  it('writes one line per request when the response closes, with id, method, url, tenant, status and latency', async () => {
    const { lines, root, res, req, flush } = setup();
    requestLogHook(root)(req as never, { raw: res }, () => undefined);
    req.user = { tenantId: 't1' };
    res.emit('close');
    res.emit('close');
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, req: { id: 'req-1', method: 'GET', url: '/api/v1/customers?q=ann' }, tenantId: 't1', res: { statusCode: 200 }, msg: 'request completed' });
    expect(Object.keys(lines[0])).toEqual(['level', 'time', 'pid', 'hostname', 'req', 'tenantId', 'res', 'responseTime', 'msg']);
  });

  it('logs a 5xx as request errored with an err, and no tenant when the request was not authenticated', async () => {
    const { lines, root, res, req, flush } = setup();
    requestLogHook(root)(req as never, { raw: res }, () => undefined);
    res.statusCode = 503;
    res.emit('close');
    await flush();
    expect(lines[0]).toMatchObject({ res: { statusCode: 503 }, err: { message: 'failed with status code 503' }, msg: 'request errored' });
    expect(lines[0]).not.toHaveProperty('tenantId');
  });

  it('runs the rest of the request in a scope whose logger carries the request', async () => {
    const { lines, root, res, req, flush } = setup();
    requestLogHook(root)(req as never, { raw: res }, () => storage.getStore()!.logger.warn('inside'));
    await flush();
    expect(lines[0]).toMatchObject({ level: 40, req: { id: 'req-1', method: 'GET', url: '/api/v1/customers?q=ann' }, msg: 'inside' });
  });
});

import { createServer } from 'http';

/**
 * The bench's webhook receiver, in its own process so it does not share an event loop with what it measures:
 * answers every POST with 200 and counts requests and distinct X-CustomerIQ-Event-Id values; GET /count reports.
 */
let count = 0;
const ids = new Set<string>();
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count, distinct: ids.size }));
    return;
  }
  if (req.url === '/reset') {
    count = 0;
    ids.clear();
    res.writeHead(200).end();
    return;
  }
  req.on('data', () => undefined);
  req.on('end', () => {
    count++;
    const id = req.headers['x-customeriq-event-id'];
    if (typeof id === 'string') ids.add(id);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address() as { port: number };
  process.stdout.write(`${addr.port}\n`);
});

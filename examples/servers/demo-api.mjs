// A tiny order API for the README's end-to-end walk-through (examples/http-notify.json).
// Plain node:http on 127.0.0.1; the port is the first argument, else DEMO_API_PORT, else 4010
// (0 picks a free one). GET /orders/:id answers JSON: 200 for a known order, 404 for an
// unknown one, 503 for "boom"; 401 without an Authorization header, or with one other than
// `Bearer $DEMO_API_TOKEN` when that is set. It logs whether the header came
// (present/absent), never its value.
import { createServer } from 'node:http';

const ORDERS = {
  'A-1001': { orderId: 'A-1001', status: 'paid', total: 24 },
  'A-1002': { orderId: 'A-1002', status: 'shipped', total: 12 },
};

function answer(request) {
  const authorization = request.headers.authorization;
  if (!authorization) return [401, { error: 'an Authorization header is required' }];
  if (process.env.DEMO_API_TOKEN && authorization !== `Bearer ${process.env.DEMO_API_TOKEN}`) return [401, { error: 'wrong token' }];
  const match = /^\/orders\/([^/?]+)$/.exec(new URL(request.url ?? '/', 'http://demo').pathname);
  if (request.method !== 'GET' || !match) return [404, { error: 'try GET /orders/A-1001' }];
  const id = decodeURIComponent(match[1]);
  if (id === 'boom') return [503, { error: 'the order service is down (on purpose)' }];
  const order = ORDERS[id];
  return order ? [200, order] : [404, { error: `no order ${id}` }];
}

const server = createServer((request, response) => {
  const [status, body] = answer(request);
  console.log(`${request.method} ${request.url} authorization=${request.headers.authorization ? 'present' : 'absent'} -> ${status}`);
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});

const port = Number(process.argv[2] ?? process.env.DEMO_API_PORT ?? 4010);
server.listen(port, '127.0.0.1', () => console.log(`demo API listening on http://127.0.0.1:${server.address().port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));

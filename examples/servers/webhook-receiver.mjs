// A webhook receiver for the README's end-to-end walk-through. Plain node:http on 127.0.0.1;
// the port is the first argument, else RECEIVER_PORT, else 4011 (0 picks a free one). It
// checks each request's signature with WF_WEBHOOK_SECRET (the signingSecret that
// `wf webhook create` printed) using the README's verifyWebhook, unchanged, and prints
// `signature ok <event> <body>` (answering 200) or `signature BAD <event>` (answering 401).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/** True when the request is from wf-engine and at most toleranceSeconds old. */
export function verifyWebhook(signingSecret, rawBody, headers, toleranceSeconds = 300) {
  const timestamp = headers['wf-timestamp'];
  const signature = headers['wf-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from('v1=' + createHmac('sha256', signingSecret).update(timestamp + '.' + rawBody).digest('hex'));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const signingSecret = process.env.WF_WEBHOOK_SECRET;
if (!signingSecret) {
  console.error('set WF_WEBHOOK_SECRET to the signingSecret that `npx wf webhook create` printed');
  process.exit(2);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    // Verify the raw bytes before parsing them.
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const event = request.headers['wf-event'] ?? '(no Wf-Event)';
    if (!verifyWebhook(signingSecret, rawBody, request.headers)) {
      console.log(`signature BAD ${event}`);
      response.writeHead(401).end();
      return;
    }
    console.log(`signature ok ${event} ${rawBody}`);
    response.writeHead(200).end();
  });
});

const port = Number(process.argv[2] ?? process.env.RECEIVER_PORT ?? 4011);
server.listen(port, '127.0.0.1', () => console.log(`webhook receiver listening on http://127.0.0.1:${server.address().port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));

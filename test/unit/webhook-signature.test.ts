import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { isSubscribableEvent } from '../../src/notifications/events';
import { signature, signedHeaders, verifySignature } from '../../src/notifications/signature';
import { webhookProblems } from '../../src/notifications/webhooks';

describe('signature', () => {
  const secret = 'whsec_test';
  const rawBody = '{"id":"ntf_1","event":"execution.failed"}';

  test('v1 is the hex HMAC-SHA256 of "timestamp.rawBody"', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${rawBody}`).digest('hex');
    expect(signature(secret, 1700000000, rawBody)).toBe(`v1=${expected}`);
  });

  test('signed headers verify; a changed body, secret, timestamp or an old request do not', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const headers = signedHeaders({ signingSecret: secret, rawBody, deliveryId: 'ntf_1', event: 'execution.failed', now });
    expect(headers).toMatchObject({ 'Wf-Timestamp': '1767225600', 'Wf-Delivery-Id': 'ntf_1', 'Wf-Event': 'execution.failed', 'content-type': 'application/json' });
    const nowSeconds = 1767225600;
    const check = (overrides: Partial<Parameters<typeof verifySignature>[0]>) =>
      verifySignature({ signingSecret: secret, rawBody, timestamp: headers['Wf-Timestamp'], signature: headers['Wf-Signature'], nowSeconds, ...overrides });
    expect(check({})).toBe(true);
    expect(check({ rawBody: `${rawBody} ` })).toBe(false);
    expect(check({ signingSecret: 'whsec_other' })).toBe(false);
    expect(check({ timestamp: String(nowSeconds + 1) })).toBe(false);
    expect(check({ nowSeconds: nowSeconds + 301 })).toBe(false);
    expect(check({ nowSeconds: nowSeconds + 299 })).toBe(true);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ timestamp: 'soon' })).toBe(false);
    expect(check({ signature: 'v1=short' })).toBe(false);
  });
});

describe('webhook subscriptions', () => {
  test('events: the engine events, notify.<name> and *', () => {
    for (const event of ['execution.failed', 'execution.timed_out', 'dead_letter.created', 'dead_letter.resolved', 'worker.unhealthy', 'notify.order.shipped', '*']) expect(isSubscribableEvent(event)).toBe(true);
    for (const event of ['execution.*', 'notify.', 'notify.Order', 'notify', 'execution.completed', '']) expect(isSubscribableEvent(event)).toBe(false);
  });

  test('every problem of a URL and its events, with paths', () => {
    expect(webhookProblems('https://hooks.example.test/x', ['*'])).toEqual([]);
    expect(webhookProblems('http://127.0.0.1:8080/x', ['execution.failed'], '$.body')).toEqual([]);
    expect(webhookProblems('mailto:ops@example.test', [], '$.body').map((p) => p.path)).toEqual(['$.body.url', '$.body.events']);
    expect(webhookProblems('nope', ['x', 'notify.ok', 'y']).map((p) => p.path)).toEqual(['$.url', '$.events[0]', '$.events[2]']);
    expect(webhookProblems('https://a:b@hooks.example.test/', ['*'])[0].message).toContain('credentials');
  });

  test('a literal metadata, unspecified or multicast address is refused; loopback, private and names pass (the egress guard decides at delivery)', () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/', 'http://0.0.0.0:9000/x', 'http://[::]/x', 'http://224.0.0.1/x', 'http://[::ffff:169.254.169.254]/']) {
      expect(webhookProblems(url, ['*']), url).toEqual([{ path: '$.url', message: expect.stringMatching(/never a webhook receiver/) as unknown }]);
    }
    for (const url of ['http://127.0.0.1:8080/x', 'http://[::1]/x', 'http://10.1.2.3/x', 'http://metadata.google.internal/x', 'https://hooks.example.test/x']) {
      expect(webhookProblems(url, ['*']), url).toEqual([]);
    }
  });
});

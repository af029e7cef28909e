/**
 * The notify node on the real stack: signed with an organization webhook's secret or with a
 * `$secret`, the same Wf-Delivery-Id on every attempt, 5xx retried, other 4xx not.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { SecretLookup } from '../../src/activities/secret-scope';
import { createWebhook } from '../../src/notifications/webhooks';
import { verifySignature } from '../../src/notifications/signature';
import { generateSecretsKey, parseSecretsKey, SecretCipher } from '../../src/secrets/cipher';
import { InvalidRequestError } from '../../src/client';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, stepOutput } from '../helpers/graphs';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

// The engine's workers open signing secrets with the same key.
const key = generateSecretsKey();
const cipher = new SecretCipher(parseSecretsKey(key, 'WF_SECRETS_KEY'));
const URL_SECRET = 'url-signing-secret-5d1c0e';
/** Stands in for the stored secrets (src/secrets), which are built elsewhere. */
const secrets: SecretLookup = { value: async (organizationId, name) => (organizationId === 'default' && name === 'ops-hook' ? URL_SECRET : undefined) };

let engine: TestEngine;
let receiver: WebhookReceiver;
beforeAll(async () => {
  engine = await startTestEngine({ secretsKey: key, workerExtras: { secrets } });
  receiver = await startWebhookReceiver();
});
/** Starts a graph, printing validation problems (the error's message alone does not name them). */
async function start(options: Parameters<TestEngine['client']['start']>[0]): Promise<{ executionId: string }> {
  try {
    return await engine.client.start(options);
  } catch (error) {
    if (error instanceof InvalidRequestError) throw new Error(JSON.stringify(error.problems));
    throw error;
  }
}

afterAll(async () => {
  await engine?.stop();
  await receiver?.close();
});

const quickRetry = { maxAttempts: 3, initialInterval: '100ms' };

test('posts signed bodies to a webhook id and to url + $secret; a 503 is retried with the same Wf-Delivery-Id', async () => {
  const hook = await createWebhook(engine.pool, cipher, 'default', { url: `${receiver.url}/hook`, events: ['notify.order.shipped'] });
  receiver.script('/hook', [503]);
  const started = await start({
    organizationId: 'default',
    input: { orderId: 'A-17' },
    graph: {
      id: graphId('notify'),
      version: 1,
      nodes: [
        { id: 'by_webhook', type: 'notify', retry: quickRetry, config: { webhook: hook.id, event: 'order.shipped', body: { orderId: { $expr: 'input.orderId' } } } },
        { id: 'by_url', type: 'notify', retry: quickRetry, config: { url: `${receiver.url}/url`, secret: { $secret: 'ops-hook' }, body: { note: 'shipped' } } },
      ],
    },
  });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.steps['by_webhook'].attempts).toBe(2);

  const viaHook = receiver.at('/hook');
  expect(viaHook.map((r) => r.answeredWith)).toEqual([503, 200]);
  for (const request of viaHook) {
    expect(request.headers['wf-delivery-id']).toBe(`${started.executionId}:by_webhook`);
    expect(request.headers['wf-event']).toBe('notify.order.shipped');
    expect(JSON.parse(request.rawBody)).toEqual({ orderId: 'A-17' });
    expect(verifySignature({ signingSecret: hook.signingSecret, rawBody: request.rawBody, timestamp: request.headers['wf-timestamp'] as string, signature: request.headers['wf-signature'] as string })).toBe(true);
  }
  const [viaUrl] = receiver.at('/url');
  expect(viaUrl.headers['wf-delivery-id']).toBe(`${started.executionId}:by_url`);
  expect(viaUrl.headers['wf-event']).toBe('notify');
  expect(verifySignature({ signingSecret: URL_SECRET, rawBody: viaUrl.rawBody, timestamp: viaUrl.headers['wf-timestamp'] as string, signature: viaUrl.headers['wf-signature'] as string })).toBe(true);

  expect(await stepOutput(engine, started.executionId, 'by_url')).toEqual({ status: 200, deliveryId: `${started.executionId}:by_url`, event: 'notify' });
  // The signing secrets are nowhere in the mirror or in Temporal's history.
  const mirrored = JSON.stringify((await engine.pool.query('SELECT * FROM execution_steps WHERE execution_id = $1', [started.executionId])).rows);
  const history = JSON.stringify(await engine.temporal.workflow.getHandle(started.executionId).fetchHistory());
  for (const text of [mirrored, history]) {
    expect(text).not.toContain(URL_SECRET);
    expect(text).not.toContain(hook.signingSecret);
  }
});

test('a 4xx other than 429 fails the node with HttpError at once; an unknown webhook or secret fails without retrying', async () => {
  receiver.script('/refuses', [400, 400, 400]);
  const runAlone = async (config: Record<string, unknown>) => {
    const started = await start({ organizationId: 'default', graph: { id: graphId('notify-fails'), version: 1, settings: { onFailure: 'fail' }, nodes: [{ id: 'n', type: 'notify', retry: quickRetry, config }] } });
    return (await engine.client.waitForEnd('default', started.executionId)).steps.n;
  };
  const [refused, noHook, noSecret] = await Promise.all([
    runAlone({ url: `${receiver.url}/refuses`, secret: { $secret: 'ops-hook' } }),
    runAlone({ webhook: 'wh_0000000000000000' }),
    runAlone({ url: `${receiver.url}/never`, secret: { $secret: 'missing' } }),
  ]);
  expect(refused).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpError' } });
  expect(refused.error?.message).toContain('answered 400');
  expect(noHook).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'WebhookNotFound' } });
  expect(noSecret).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'SecretNotFound' } });
  expect(receiver.at('/refuses')).toHaveLength(1);
  expect(receiver.at('/never')).toHaveLength(0);
});

test('validation refuses a notify node without a target, with both, or with url but no secret', async () => {
  for (const config of [{}, { webhook: 'wh_00', url: 'https://example.test/x', secret: { $secret: 'a' } }, { url: 'https://example.test/x' }, { url: 'ftp://example.test/x', secret: { $secret: 'a' } }]) {
    expect(() => engine.client.validate({ id: 'bad-notify', version: 1, nodes: [{ id: 'n', type: 'notify', config }] })).toThrow(/invalid/);
  }
});

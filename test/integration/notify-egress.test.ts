/**
 * The egress guard on webhook traffic: with a worker that allows no loopback address (as
 * `npm run worker` without WF_HTTP_ALLOW), a notify node and an outbox delivery to the
 * 127.0.0.1 receiver are refused before any connection. The node fails with EgressDenied
 * at once; the delivery records the refusal as its attempt and gives up. The receiver, the
 * only server either could reach, gets nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { SecretLookup } from '../../src/activities/secret-scope';
import { PUBLIC_ONLY } from '../../src/common/egress-allow';
import { createWebhook } from '../../src/notifications/webhooks';
import { InvalidRequestError } from '../../src/client';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { waitUntil } from '../helpers/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

const secrets: SecretLookup = { value: async (organizationId, name) => (organizationId === 'default' && name === 'ops-hook' ? 'url-signing-secret-9e41' : undefined) };
const fastNotifications = { relayIntervalMs: 100, heartbeatIntervalMs: 200, retry: { initialIntervalMs: 100, maximumIntervalMs: 400 } };

let engine: TestEngine;
let receiver: WebhookReceiver;
beforeAll(async () => {
  [engine, receiver] = await Promise.all([startTestEngine({ http: { allow: PUBLIC_ONLY }, secrets, workerExtras: { notifications: fastNotifications } }), startWebhookReceiver()]);
});
afterAll(async () => {
  await engine?.stop();
  await receiver?.close();
});

async function runToEnd(graph: Record<string, unknown>) {
  try {
    const started = await engine.client.start({ organizationId: 'default', graph: { id: graphId('egress'), version: 1, ...graph } });
    return { executionId: started.executionId, view: await engine.client.waitForEnd('default', started.executionId) };
  } catch (error) {
    if (error instanceof InvalidRequestError) throw new Error(JSON.stringify(error.problems));
    throw error;
  }
}

test('a notify node to a loopback webhook or url fails with EgressDenied, not retried, and nothing is sent', async () => {
  const hook = await createWebhook(engine.pool, engine.secretCipher, 'default', { url: `${receiver.url}/node-hook`, events: ['notify.ping'] });
  const retry = { maxAttempts: 3, initialInterval: '100ms' };
  // One execution each: a failed node would cancel its sibling in the same execution.
  const alone = async (config: Record<string, unknown>) => (await runToEnd({ settings: { onFailure: 'fail' }, nodes: [{ id: 'n', type: 'notify', retry, config }] })).view.steps.n;
  const [byWebhook, byUrl] = await Promise.all([alone({ webhook: hook.id, event: 'ping', body: { n: 1 } }), alone({ url: `${receiver.url}/node-url`, secret: { $secret: 'ops-hook' } })]);
  for (const step of [byWebhook, byUrl]) {
    expect(step).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'EgressDenied' } });
    expect(step.error?.message).toMatch(/refused to connect to 127\.0\.0\.1: a loopback address/);
  }
  expect(byUrl.error?.message).toContain(`${receiver.url}/node-url`);
  expect(receiver.received).toEqual([]);
});

test('an outbox delivery to a loopback webhook records the refusal as its attempt and gives up', async () => {
  const hook = await createWebhook(engine.pool, engine.secretCipher, 'default', { url: `${receiver.url}/outbox`, events: ['execution.failed'] });
  const { executionId, view } = await runToEnd({
    settings: { onFailure: 'fail' },
    nodes: [{ id: 'break', type: 'mock', config: { fail: { type: 'Broken', message: 'broken on purpose', nonRetryable: true } } }],
  });
  expect(view.status).toBe('failed');
  const row = async () => (await engine.pool.query<{ id: string; status: string; attempts: number; last_error: string | null }>('SELECT id, status, attempts, last_error FROM notifications WHERE webhook_id = $1', [hook.id])).rows[0];
  await waitUntil(async () => (await row())?.status === 'failed', `the notification of ${executionId} to give up`);
  const notification = await row();
  expect(notification).toMatchObject({ status: 'failed', attempts: 1 });
  expect(notification.last_error).toMatch(/^egress denied: .*refused to connect to 127\.0\.0\.1: a loopback address/);
  const attempts = await engine.pool.query<{ attempt: number; status_code: number | null; error: string }>('SELECT attempt, status_code, error FROM notification_attempts WHERE notification_id = $1', [notification.id]);
  expect(attempts.rows).toEqual([{ attempt: 1, status_code: null, error: notification.last_error }]);
  // Given up for good: no retry comes later.
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect((await row()).attempts).toBe(1);
  expect(receiver.received).toEqual([]);
});

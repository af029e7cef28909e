/**
 * The outbox survives a worker that is not running between the fact and the delivery, raises
 * worker.unhealthy once per outage, and gives up (status failed) when retries run out.
 */
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { flushMirrorBatch } from '../../src/activities/mirror/flush';
import { checkWorkerHealth } from '../../src/notifications/worker-health';
import { createWebhook } from '../../src/notifications/webhooks';
import { generateSecretsKey, parseSecretsKey, SecretCipher } from '../../src/secrets/cipher';
import type { MirrorBatch } from '../../src/workflows/contracts/mirror';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { sleep, waitUntil } from '../helpers/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

// The engine's workers open signing secrets with the same key.
const key = generateSecretsKey();
const cipher = new SecretCipher(parseSecretsKey(key, 'WF_SECRETS_KEY'));

let engine: TestEngine;
let receiver: WebhookReceiver;
beforeAll(async () => {
  engine = await startTestEngine({
    worker: false,
    secretsKey: key, workerExtras: { notifications: { relayIntervalMs: 100, heartbeatIntervalMs: 100, retry: { initialIntervalMs: 100, maximumIntervalMs: 200, giveUpAfterMs: 1500 } } },
  });
  receiver = await startWebhookReceiver();
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('other', 'other')");
});
afterAll(async () => {
  await engine?.stop();
  await receiver?.close();
});

/** What the workflow's last flush writes for an execution that failed for good. */
function failedExecutionBatch(executionId: string): MirrorBatch {
  const error = { type: 'NodeFailed' as const, message: 'node "a" failed: x', node: { nodeId: 'a', type: 'Boom', message: 'x', attempts: 1 } };
  return {
    executionId,
    organizationId: 'default',
    execution: { status: 'failed', graphId: 'g', graphVersion: 1, workflowId: executionId, runId: 'run-1', error, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() },
    steps: [],
    deadLetter: { id: `dlq-${executionId}`, failedNodes: ['a'], error },
  };
}

async function stopWorker(worker: Worker): Promise<void> {
  worker.shutdown();
  await waitUntil(async () => worker.getState() === 'STOPPED', 'the worker to stop');
}

async function rows(webhookId: string): Promise<{ event: string; status: string; attempts: number; last_error: string | null }[]> {
  return (await engine.pool.query('SELECT event, status, attempts, last_error FROM notifications WHERE webhook_id = $1 ORDER BY event', [webhookId])).rows;
}

test('no worker between the fact and the delivery loses nothing; worker.unhealthy is raised once per outage for every subscribed webhook', async () => {
  const mine = await createWebhook(engine.pool, cipher, 'default', { url: `${receiver.url}/mine`, events: ['dead_letter.created', 'worker.unhealthy'] });
  const theirs = await createWebhook(engine.pool, cipher, 'other', { url: `${receiver.url}/theirs`, events: ['worker.unhealthy'] });
  const first = await engine.startWorker();
  await waitUntil(async () => (await engine.pool.query('SELECT 1 FROM worker_heartbeats WHERE task_queue = $1', [engine.taskQueue])).rowCount === 1, 'a heartbeat');
  expect(await checkWorkerHealth(engine.pool, 5000)).toEqual([]);
  await stopWorker(first);

  await flushMirrorBatch(engine.pool, failedExecutionBatch('lost-nothing-1'));
  await sleep(700);
  expect(await checkWorkerHealth(engine.pool, 500)).toEqual([engine.taskQueue]);
  // Another checker (or the next round) sees the same outage: nothing more is raised.
  expect(await checkWorkerHealth(engine.pool, 500)).toEqual([]);
  expect((await rows(mine.id)).map((r) => [r.event, r.status])).toEqual([
    ['dead_letter.created', 'pending'],
    ['worker.unhealthy', 'pending'],
  ]);
  expect((await rows(theirs.id)).map((r) => [r.event, r.status])).toEqual([['worker.unhealthy', 'pending']]);
  expect(receiver.received).toEqual([]);

  await engine.startWorker();
  await waitUntil(async () => [...(await rows(mine.id)), ...(await rows(theirs.id))].every((r) => r.status === 'delivered'), 'every notification delivered by the new worker');
  expect(receiver.at('/mine').map((r) => JSON.parse(r.rawBody).event).sort()).toEqual(['dead_letter.created', 'worker.unhealthy']);
  const unhealthy = JSON.parse(receiver.at('/theirs')[0].rawBody);
  expect(unhealthy).toMatchObject({ event: 'worker.unhealthy', organizationId: 'other', data: { taskQueue: engine.taskQueue } });
  // The new worker's heartbeat ended the outage.
  expect(await checkWorkerHealth(engine.pool, 500)).toEqual([]);
});

test('a receiver that never answers 2xx: retried with backoff until the retry window ends, then failed with the last error', async () => {
  const hook = await createWebhook(engine.pool, cipher, 'default', { url: `${receiver.url}/down`, events: ['dead_letter.created'] });
  receiver.script('/down', Array(50).fill(503));
  await flushMirrorBatch(engine.pool, failedExecutionBatch('gives-up-1'));
  await waitUntil(async () => (await rows(hook.id))[0]?.status === 'failed', 'the notification to fail', 20_000);
  const [row] = await rows(hook.id);
  expect(row.attempts).toBeGreaterThanOrEqual(3);
  expect(row.last_error).toBe('receiver answered 503');
  expect(receiver.at('/down').length).toBe(row.attempts);
  const ids = new Set(receiver.at('/down').map((r) => r.headers['wf-delivery-id']));
  expect(ids.size).toBe(1);
});

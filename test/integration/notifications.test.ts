/**
 * DESIGN §10 outbox on the real stack: events written with their facts, delivered by one
 * workflow per row with retries, signed as the README shows, to the right organization only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { flushMirrorBatch } from '../../src/activities/mirror/flush';
import { createWebhook, type CreatedWebhook } from '../../src/notifications/webhooks';
import { parseSecretsKey, generateSecretsKey, SecretCipher } from '../../src/secrets/cipher';
import type { MirrorBatch } from '../../src/workflows/contracts/mirror';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { readmeVerifier, type VerifyWebhook } from '../helpers/readme-verifier';
import { waitUntil } from '../helpers/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

// The engine's workers open signing secrets with the same key.
const key = generateSecretsKey();
const cipher = new SecretCipher(parseSecretsKey(key, 'WF_SECRETS_KEY'));
const INPUT_MARKER = 'input-marker-7f3a9c';
const OUTPUT_MARKER = 'output-marker-2b8e41';
const fastNotifications = { relayIntervalMs: 100, heartbeatIntervalMs: 200, retry: { initialIntervalMs: 100, maximumIntervalMs: 400 } };

let engine: TestEngine;
let receiver: WebhookReceiver;
let verifyWebhook: VerifyWebhook;
beforeAll(async () => {
  engine = await startTestEngine({ secretsKey: key, workerExtras: { notifications: fastNotifications } });
  receiver = await startWebhookReceiver();
  verifyWebhook = await readmeVerifier();
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('acme', 'acme'), ('rival', 'rival')");
});
afterAll(async () => {
  await engine?.stop();
  await receiver?.close();
});

async function webhook(organizationId: string, path: string, events: string[]): Promise<CreatedWebhook> {
  return createWebhook(engine.pool, cipher, organizationId, { url: `${receiver.url}${path}`, events });
}

/** A graph whose first node outputs the output marker and whose second fails for good. */
function failingGraph(onFailure: 'dlq' | 'fail' = 'dlq') {
  return {
    id: graphId('fails'),
    version: 1,
    settings: { onFailure },
    nodes: [
      { id: 'make', type: 'mock', config: { output: { marker: OUTPUT_MARKER } } },
      { id: 'break', type: 'mock', config: { fail: { type: 'Broken', message: 'broken on purpose', nonRetryable: true } } },
    ],
    edges: [{ from: 'make', to: 'break' }],
  };
}

async function runFailing(organizationId: string, onFailure: 'dlq' | 'fail' = 'dlq'): Promise<string> {
  const started = await engine.client.start({ organizationId, graph: failingGraph(onFailure), input: { marker: INPUT_MARKER } });
  const view = await engine.client.waitForEnd(organizationId, started.executionId);
  expect(view.status).toBe('failed');
  return started.executionId;
}

async function notificationRows(where: string, values: unknown[]): Promise<{ id: string; webhook_id: string; event: string; status: string; attempts: number }[]> {
  return (await engine.pool.query(`SELECT id, webhook_id, event, status, attempts FROM notifications WHERE ${where} ORDER BY id`, values)).rows;
}

function body(request: { rawBody: string }): { id: string; event: string; organizationId: string; data: Record<string, unknown> } {
  return JSON.parse(request.rawBody);
}

describe('delivery', () => {
  test('a receiver that answers 500 three times gets the event once delivered: same Wf-Delivery-Id every time, a signature the README snippet verifies, 4 attempts recorded', async () => {
    const hook = await webhook('default', '/flaky', ['execution.failed']);
    receiver.script('/flaky', [500, 500, 500]);
    const executionId = await runFailing('default', 'fail');
    await waitUntil(async () => (await notificationRows('webhook_id = $1', [hook.id]))[0]?.status === 'delivered', 'the notification to be delivered');

    const requests = receiver.at('/flaky');
    expect(requests.map((r) => r.answeredWith)).toEqual([500, 500, 500, 200]);
    const [row] = await notificationRows('webhook_id = $1', [hook.id]);
    expect(row).toMatchObject({ event: 'execution.failed', status: 'delivered', attempts: 4 });
    expect(new Set(requests.map((r) => r.headers['wf-delivery-id']))).toEqual(new Set([row.id]));
    for (const request of requests) {
      expect(request.headers['wf-event']).toBe('execution.failed');
      expect(verifyWebhook(hook.signingSecret, request.rawBody, request.headers)).toBe(true);
      // The snippet refuses what was not signed with this secret or not this body.
      expect(verifyWebhook('whsec_wrong', request.rawBody, request.headers)).toBe(false);
      expect(verifyWebhook(hook.signingSecret, `${request.rawBody} `, request.headers)).toBe(false);
    }
    expect(body(requests[3])).toMatchObject({ id: row.id, event: 'execution.failed', organizationId: 'default', data: { executionId, status: 'failed', error: { type: 'NodeFailed', node: { nodeId: 'break', type: 'Broken' } } } });

    const attempts = await engine.pool.query<{ attempt: number; status_code: number; latency_ms: number; error: string | null }>(
      'SELECT attempt, status_code, latency_ms, error FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt',
      [row.id],
    );
    expect(attempts.rows.map((a) => [a.attempt, a.status_code, a.error])).toEqual([
      [1, 500, 'receiver answered 500'],
      [2, 500, 'receiver answered 500'],
      [3, 500, 'receiver answered 500'],
      [4, 200, null],
    ]);
    for (const attempt of attempts.rows) expect(attempt.latency_ms).toBeGreaterThanOrEqual(0);

    // Payloads hold ids and types only: no input, no output, no secret.
    for (const request of requests) {
      for (const marker of [INPUT_MARKER, OUTPUT_MARKER, hook.signingSecret, 'broken on purpose']) expect(request.rawBody).not.toContain(marker);
    }
    const stored = await engine.pool.query<{ payload: unknown }>('SELECT payload FROM notifications WHERE id = $1', [row.id]);
    expect(JSON.stringify(stored.rows[0].payload)).not.toContain(INPUT_MARKER);
    expect(JSON.stringify(stored.rows[0].payload)).not.toContain(OUTPUT_MARKER);
  });

  test('execution.failed is written once per execution even when the final mirror write repeats', async () => {
    const hook = await webhook('default', '/once', ['execution.failed', 'dead_letter.created']);
    const executionId = await runFailing('default');
    const execution = (await engine.pool.query('SELECT graph_id, graph_version, workflow_id, run_id, error, finished_at FROM executions WHERE id = $1', [executionId])).rows[0];
    const deadLetter = (await engine.pool.query('SELECT id, failed_nodes, error FROM dead_letters WHERE execution_id = $1', [executionId])).rows[0];
    const finalBatch: MirrorBatch = {
      executionId,
      organizationId: 'default',
      execution: { status: 'failed', graphId: execution.graph_id, graphVersion: execution.graph_version, workflowId: execution.workflow_id, runId: execution.run_id, error: execution.error, finishedAt: execution.finished_at },
      steps: [],
      deadLetter: { id: deadLetter.id, failedNodes: deadLetter.failed_nodes, error: deadLetter.error },
    };
    // The workflow's flush retried twice more, as a lost acknowledgement would make it.
    await flushMirrorBatch(engine.pool, finalBatch);
    await flushMirrorBatch(engine.pool, finalBatch);
    await waitUntil(async () => (await notificationRows('webhook_id = $1', [hook.id])).every((r) => r.status === 'delivered') && receiver.at('/once').length >= 2, 'both notifications delivered');
    const rows = await notificationRows('webhook_id = $1', [hook.id]);
    expect(rows.map((r) => r.event).sort()).toEqual(['dead_letter.created', 'execution.failed']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.at('/once').map((r) => body(r).event).sort()).toEqual(['dead_letter.created', 'execution.failed']);
  });
});

describe('tenancy and subscriptions', () => {
  test("dead_letter.created reaches every subscribed webhook of the organization and never another organization's; a purge raises dead_letter.resolved", async () => {
    const direct = await webhook('acme', '/acme-dlq', ['dead_letter.created']);
    const everything = await webhook('acme', '/acme-all', ['*']);
    const other = await webhook('acme', '/acme-timeouts', ['execution.timed_out']);
    const rival = await webhook('rival', '/rival-dlq', ['dead_letter.created', '*']);
    const executionId = await runFailing('acme');
    const letter = (await engine.pool.query<{ id: string }>('SELECT id FROM dead_letters WHERE execution_id = $1', [executionId])).rows[0];

    await waitUntil(async () => receiver.at('/acme-dlq').length === 1 && receiver.at('/acme-all').length === 2, 'acme webhooks to receive their events');
    expect(body(receiver.at('/acme-dlq')[0])).toMatchObject({ event: 'dead_letter.created', organizationId: 'acme', data: { deadLetterId: letter.id, executionId, failedNodes: ['break'] } });
    expect(receiver.at('/acme-all').map((r) => body(r).event).sort()).toEqual(['dead_letter.created', 'execution.failed']);

    await engine.client.purgeDeadLetter('acme', letter.id, 'tester');
    await waitUntil(async () => receiver.at('/acme-all').length === 3, 'dead_letter.resolved to arrive');
    expect(body(receiver.at('/acme-all')[2])).toMatchObject({ event: 'dead_letter.resolved', data: { deadLetterId: letter.id, executionId, resolution: 'purged' } });

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.at('/acme-timeouts')).toEqual([]);
    expect(receiver.at('/rival-dlq')).toEqual([]);
    expect(await notificationRows('webhook_id = ANY ($1)', [[other.id, rival.id]])).toEqual([]);
    expect((await notificationRows('webhook_id = ANY ($1)', [[direct.id, everything.id]])).every((r) => r.status === 'delivered')).toBe(true);
  });

  test('a deleted webhook gets nothing more', async () => {
    const hook = await webhook('acme', '/deleted', ['execution.failed']);
    await engine.pool.query('UPDATE webhooks SET deleted_at = now() WHERE id = $1', [hook.id]);
    await runFailing('acme', 'fail');
    expect(await notificationRows('webhook_id = $1', [hook.id])).toEqual([]);
  });
});

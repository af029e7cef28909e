/**
 * `wf webhook` / `wf notifications` and /api/v1/webhooks, /api/v1/notifications: roles,
 * tenancy, validation with JSON paths, the signing secret shown once and never listed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createApiKey } from '../../src/client/keys';
import type { Role } from '../../src/common/keys';
import { generateSecretsKey, parseSecretsKey, SecretCipher } from '../../src/secrets/cipher';
import { webhookSecretContext } from '../../src/notifications/webhook-secret';
import { auth } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { runWf } from '../helpers/wf-cli';

const secretsKey = generateSecretsKey();
const cipher = new SecretCipher(parseSecretsKey(secretsKey, 'test key'));

let engine: TestEngine;
let app: FastifyInstance;
beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
  app = await buildApi({ client: engine.client, pool: engine.pool, secretCipher: cipher });
  await app.ready();
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('acme', 'acme'), ('rival', 'rival')");
});
afterAll(async () => {
  await app?.close();
  await engine?.stop();
});

const key = async (organizationId: string, role: Role): Promise<string> => (await createApiKey(engine.pool, organizationId, role)).apiKey;

async function addNotification(organizationId: string, webhookId: string, id: string, status: string): Promise<void> {
  await engine.pool.query("INSERT INTO notifications (id, organization_id, webhook_id, event, payload, status, last_error) VALUES ($1, $2, $3, 'execution.failed', '{}', $4, $5)", [
    id,
    organizationId,
    webhookId,
    status,
    status === 'failed' ? 'receiver answered 500' : null,
  ]);
}

describe('HTTP API', () => {
  test('an admin creates (201, secret once), lists (no secret) and deletes webhooks; the secret is stored sealed', async () => {
    const admin = await key('acme', 'admin');
    const created = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth(admin), payload: { url: 'https://hooks.example.test/wf', events: ['execution.failed', 'notify.order.shipped'] } });
    expect(created.statusCode).toBe(201);
    const hook = created.json();
    expect(hook).toMatchObject({ url: 'https://hooks.example.test/wf', events: ['execution.failed', 'notify.order.shipped'] });
    expect(hook.signingSecret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const stored = (await engine.pool.query('SELECT signing_secret_sealed FROM webhooks WHERE id = $1', [hook.id])).rows[0].signing_secret_sealed;
    expect(stored).not.toContain(hook.signingSecret);
    expect(cipher.open(stored, webhookSecretContext('acme', hook.id))).toBe(hook.signingSecret);

    const listed = await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: auth(admin) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([{ id: hook.id, url: hook.url, events: hook.events, createdAt: hook.createdAt }]);
    expect(listed.body).not.toContain(hook.signingSecret);

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: auth(admin) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: auth(admin) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: auth(admin) })).json()).toEqual([]);
  });

  test('roles: webhooks need admin, notifications operator; another organization answers 404 and sees nothing', async () => {
    const [admin, operator, viewer, rivalAdmin, rivalOperator] = await Promise.all([key('acme', 'admin'), key('acme', 'operator'), key('acme', 'viewer'), key('rival', 'admin'), key('rival', 'operator')]);
    const payload = { url: 'http://127.0.0.1:9/never', events: ['*'] };
    expect((await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth(operator), payload })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: auth(viewer) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(401);
    const hook = (await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth(admin), payload })).json();
    await addNotification('acme', hook.id, 'ntf_api_failed', 'failed');
    await addNotification('acme', hook.id, 'ntf_api_delivered', 'delivered');

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: auth(rivalAdmin) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: auth(rivalAdmin) })).json()).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: auth(rivalOperator) })).json()).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: auth(viewer) })).statusCode).toBe(403);

    const failed = await app.inject({ method: 'GET', url: '/api/v1/notifications?status=failed', headers: auth(operator) });
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toEqual([expect.objectContaining({ id: 'ntf_api_failed', event: 'execution.failed', webhookId: hook.id, status: 'failed', attempts: 0, deliveredAt: null, lastError: 'receiver answered 500' })]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: auth(admin) })).json().map((n: { id: string }) => n.id).sort()).toEqual(['ntf_api_delivered', 'ntf_api_failed']);
    expect((await app.inject({ method: 'GET', url: '/api/v1/notifications?status=lost', headers: auth(operator) })).statusCode).toBe(400);
  });

  test('bad URLs and event names are refused with a JSON path each', async () => {
    const admin = await key('acme', 'admin');
    const answer = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth(admin), payload: { url: 'ftp://files.example.test/x', events: ['execution.failed', 'execution.exploded', 'notify.'] } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.problems.map((p: { path: string }) => p.path)).toEqual(['$.body.url', '$.body.events[1]', '$.body.events[2]']);
    const credentials = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth(admin), payload: { url: 'https://user:pw@hooks.example.test/x', events: ['*'] } });
    expect(credentials.statusCode).toBe(400);
    const noCipher = await buildApi({ client: engine.client, pool: engine.pool });
    const refused = await noCipher.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth(admin), payload: { url: 'https://hooks.example.test/x', events: ['*'] } });
    await noCipher.close();
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('WF_SECRETS_KEY');
  });
});

describe('wf webhook and wf notifications', () => {
  const env = () => ({ DATABASE_URL: engine.databaseUrl, WF_SECRETS_KEY: secretsKey });

  test('create prints the secret once; list never; delete; notifications list --status', async () => {
    const created = await runWf(['webhook', 'create', '--url', 'https://hooks.example.test/cli', '--events', 'dead_letter.created, worker.unhealthy', '--json'], env());
    expect(created.code).toBe(0);
    const hook = JSON.parse(created.stdout);
    expect(Object.keys(hook).sort()).toEqual(['events', 'id', 'signingSecret', 'url']);
    expect(hook).toMatchObject({ url: 'https://hooks.example.test/cli', events: ['dead_letter.created', 'worker.unhealthy'] });

    const listed = await runWf(['webhook', 'list', '--json'], env());
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((w: { id: string }) => w.id)).toContain(hook.id);
    expect(listed.stdout).not.toContain(hook.signingSecret);
    // Another organization's list does not show it, nor can it delete it.
    expect(JSON.parse((await runWf(['webhook', 'list', '--json', '--org', 'rival'], env())).stdout)).toEqual([]);
    expect((await runWf(['webhook', 'delete', hook.id, '--org', 'rival'], env())).code).toBe(2);

    await addNotification('default', hook.id, 'ntf_cli_failed', 'failed');
    await addNotification('default', hook.id, 'ntf_cli_pending', 'pending');
    const failed = await runWf(['notifications', 'list', '--status', 'failed', '--json'], env());
    expect(failed.code).toBe(0);
    expect(JSON.parse(failed.stdout)).toEqual([expect.objectContaining({ id: 'ntf_cli_failed', status: 'failed', webhookId: hook.id, lastError: 'receiver answered 500' })]);
    expect((await runWf(['notifications', 'list', '--status', 'lost'], env())).code).toBe(2);

    expect((await runWf(['webhook', 'delete', hook.id], env())).code).toBe(0);
    const again = await runWf(['webhook', 'delete', hook.id], env());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not found');
  });

  test('usage errors exit 2: unknown events, a bad URL, no WF_SECRETS_KEY', async () => {
    const badEvent = await runWf(['webhook', 'create', '--url', 'https://hooks.example.test/x', '--events', 'execution.exploded'], env());
    expect(badEvent.code).toBe(2);
    expect(badEvent.stderr).toContain('$.events[0]');
    const badUrl = await runWf(['webhook', 'create', '--url', 'not a url', '--events', '*'], env());
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('$.url');
    const noKey = await runWf(['webhook', 'create', '--url', 'https://hooks.example.test/x', '--events', '*'], { DATABASE_URL: engine.databaseUrl });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('WF_SECRETS_KEY');
    expect(noKey.stderr).not.toMatch(/\n\s+at /);
  });
});

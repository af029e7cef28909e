/**
 * The console (DESIGN §13) in headless Chromium (Debian's, driven by playwright-core) against
 * a real API, worker, Temporal and Postgres: sign-in before any page (a deep URL included),
 * a running execution's nodes changing status live, a dead letter resumed with edited input
 * and another purged, a viewer shown no action buttons, another organization seeing nothing,
 * a 200-node graph drawn, paging to the last of 10,000 executions, and the key never in a URL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createApiKey } from '../../src/client/keys';
import type { Role } from '../../src/common/keys';
import { launchBrowser } from '../helpers/browser';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { layeredGraph } from '../helpers/wide-graphs';

const suffix = `${process.pid}-${Date.now().toString(36)}`;
const ORG_A = `console-a-${suffix}`;
const ORG_B = `console-b-${suffix}`;
const ORG_PAGING = `console-paging-${suffix}`;
const WAIT_FOR = { timeout: 30_000 };

let engine: TestEngine;
let api: FastifyInstance;
let baseUrl: string;
let browser: Browser;
const keys: Record<string, string> = {};
/** Every URL any page of this file requested: none may hold a key. */
const requestedUrls: string[] = [];
/** WF_CONSOLE_SCREENSHOTS=<dir>: the tests also save what the pages looked like there (PNG). */
const SCREENSHOTS = process.env.WF_CONSOLE_SCREENSHOTS;

async function snap(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function key(organizationId: string, role: Role): Promise<string> {
  await engine.pool.query('INSERT INTO organizations (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [organizationId]);
  return (await createApiKey(engine.pool, organizationId, role)).apiKey;
}

/** A new tab (its own sessionStorage) at `path`, signed in with `apiKey` when the sign-in shows. */
async function openSignedIn(apiKey: string, path: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (request) => requestedUrls.push(request.url()));
  await page.goto(`${baseUrl}${path}`);
  await page.fill('#api-key', apiKey);
  await page.click('#sign-in');
  await page.waitForSelector('#who', WAIT_FOR);
  return page;
}

async function startExecution(organizationId: string, graph: Record<string, unknown>, input: unknown): Promise<string> {
  return (await engine.client.start({ organizationId, graph: { version: 1, ...graph } as never, input: input as never })).executionId;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function deadLetterOf(organizationId: string, executionId: string): Promise<string> {
  await engine.client.waitForEnd(organizationId, executionId);
  return until(`the dead letter of ${executionId}`, async () => (await engine.client.listDeadLetters(organizationId)).find((letter) => letter.executionId === executionId)?.id);
}

const splitBill = (): Record<string, unknown> => ({ ...JSON.parse(readFileSync(new URL('../../examples/split-bill.json', import.meta.url), 'utf8')), id: graphId('console-split-bill') });
const waitGraph = (): Record<string, unknown> => ({
  id: graphId('console-wait'),
  nodes: [
    { id: 'first', type: 'mock', config: { output: { ok: true } } },
    { id: 'hold', type: 'wait', config: { signal: 'go' } },
    { id: 'after', type: 'mock', config: { delayMs: 300, output: { done: true } } },
  ],
  edges: [
    { from: 'first', to: 'hold' },
    { from: 'hold', to: 'after' },
  ],
});

beforeAll(async () => {
  engine = await startTestEngine();
  api = await buildApi({ client: engine.client, pool: engine.pool, temporalUiUrl: inject('temporalUiUrl') });
  await api.listen({ host: '127.0.0.1', port: 0 });
  const address = api.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  baseUrl = `http://127.0.0.1:${address.port}`;
  keys.operator = await key(ORG_A, 'operator');
  keys.viewer = await key(ORG_A, 'viewer');
  keys.otherAdmin = await key(ORG_B, 'admin');
  keys.paging = await key(ORG_PAGING, 'viewer');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await engine?.stop();
});

test('the page is static and strict: no key needed to load it, CSP and no framing; 503 naming npm run build without a build', async () => {
  const page = await fetch(`${baseUrl}/console/executions`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  const html = await page.text();
  const script = /src="(\/console\/assets\/app-[A-Z0-9]{8}\.js)"/.exec(html);
  expect(script).not.toBeNull();
  const asset = await fetch(`${baseUrl}${script![1]}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('cache-control')).toContain('immutable');
  expect(asset.headers.get('content-type')).toContain('text/javascript');
  expect((await asset.text()).length).toBeGreaterThan(1000);
  // Bodies read to the end: a response left unread holds its connection open past api.close().
  const outside = await fetch(`${baseUrl}/console/assets/..%2Fpackage.json`);
  expect(outside.status).toBe(404);
  expect(await outside.text()).not.toContain('"dependencies"');
  const noKey = await fetch(`${baseUrl}/api/v1/me`);
  expect(noKey.status).toBe(401);
  await noKey.text();

  const unbuilt = await buildApi({ client: engine.client, pool: engine.pool }, { consoleDir: '/nonexistent/console' });
  const answer = await unbuilt.inject({ method: 'GET', url: '/console/queues' });
  await unbuilt.close();
  expect(answer.statusCode).toBe(503);
  expect(answer.body).toContain('npm run build');
});

test('a fresh load of a deep URL asks for the key first, then shows that page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (request) => requestedUrls.push(request.url()));
  await page.goto(`${baseUrl}/console/queues`);
  await page.waitForSelector('#api-key');
  expect(await page.locator('h1').textContent()).toBe('Sign in');
  await snap(page, 'sign-in');

  await page.fill('#api-key', 'wfk_key_000000000000_not-a-real-key-at-all-xxxxxxxxxxxxxxxxxxx');
  await page.click('#sign-in');
  await expect.poll(() => page.locator('#sign-in-problem').textContent(), WAIT_FOR).toContain('invalid or revoked');

  await page.fill('#api-key', keys.viewer);
  await page.click('#sign-in');
  await page.waitForSelector('#queues', WAIT_FOR);
  expect(new URL(page.url()).pathname).toBe('/console/queues');
  expect(await page.locator('h1').textContent()).toBe('Queues');
  expect(await page.locator('#who').textContent()).toContain(`${ORG_A} · viewer`);
  // The key is in this tab's sessionStorage only.
  expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([keys.viewer]);
  expect(await page.evaluate('Object.keys(localStorage).length')).toBe(0);
  expect((await context.cookies()).length).toBe(0);

  // A reload keeps the session; another tab asks again.
  await page.reload();
  await page.waitForSelector('#queues', WAIT_FOR);
  const other = await context.newPage();
  await other.goto(`${baseUrl}/console/executions`);
  await other.waitForSelector('#api-key');
  await context.close();
});

test('a running execution: its nodes change status live, a click shows attempts, links lead to the Web UI', async () => {
  const executionId = await startExecution(ORG_A, waitGraph(), { who: 'console' });
  const page = await openSignedIn(keys.operator, '/console/executions');
  await page.click(`a[href="/console/executions/${executionId}"]`);
  await page.waitForSelector('[data-node-id="hold"][data-status="waiting"]', WAIT_FOR);
  expect(await page.getAttribute('[data-node-id="first"]', 'data-status')).toBe('completed');
  expect(await page.getAttribute('[data-node-id="after"]', 'data-status')).toBe('pending');
  expect(await page.getAttribute('#execution-status', 'data-status')).toBe('running');
  expect(await page.getAttribute('#temporal-link', 'href')).toBe(`${inject('temporalUiUrl')}/namespaces/default/workflows/${executionId}`);
  expect(await page.locator('[data-action="cancel"]').count()).toBe(1);
  // Proof that what follows is live, not a reload: this survives only in the same document.
  await page.evaluate('window.__sameDocument = true');

  await page.click('[data-node-id="first"]');
  await page.waitForSelector('#attempts tr[data-attempt="1"]', WAIT_FOR);
  await snap(page, 'execution-running');
  expect(await page.locator('#node-status').getAttribute('data-status')).toBe('completed');

  await engine.client.signal(ORG_A, executionId, 'go', { ok: true });
  await page.waitForSelector('[data-node-id="hold"][data-status="completed"]', WAIT_FOR);
  await page.waitForSelector('[data-node-id="after"][data-status="completed"]', WAIT_FOR);
  await page.waitForSelector('#execution-status[data-status="completed"]', WAIT_FOR);
  expect(await page.evaluate('window.__sameDocument')).toBe(true);
  expect(await page.locator('[data-action="cancel"]').count()).toBe(0);
  await page.context().close();
});

test('a failed execution shows its node red; its dead letter is resumed with edited input, validated first', async () => {
  const failed = await startExecution(ORG_A, splitBill(), { total: 90, parts: 0 });
  const letterId = await deadLetterOf(ORG_A, failed);
  const page = await openSignedIn(keys.operator, `/console/executions/${failed}`);
  await page.waitForSelector('[data-node-id="split"][data-status="failed"]', WAIT_FOR);
  expect(await page.getAttribute('[data-node-id="load"]', 'data-status')).toBe('completed');
  await page.click('[data-node-id="split"]');
  await page.waitForSelector('#node-error', WAIT_FOR);
  await snap(page, 'execution-failed');
  expect(await page.locator('#node-error').textContent()).not.toMatch(/\n\s+at /);

  await page.click(`a[href="/console/dead-letters/${letterId}"]`);
  await page.waitForSelector('#resume-input', WAIT_FOR);
  expect(await page.locator('.failed-node').allTextContents()).toEqual(['split']);
  expect(JSON.parse(await page.inputValue('#resume-input'))).toEqual({ total: 90, parts: 0 });
  await snap(page, 'dead-letter');

  // Not JSON: said in the page, nothing sent.
  const retries = (): number => requestedUrls.filter((url) => url.includes(`/api/v1/dlq/${letterId}/retry`)).length;
  await page.fill('#resume-input', '{"total": 90, "parts": ');
  await page.click('[data-action="resume"]');
  await expect.poll(() => page.locator('#resume-input-problem').textContent()).toContain('not valid JSON');
  expect(retries()).toBe(0);

  await page.fill('#resume-input', '{"total": 90, "parts": 3}');
  await page.click('[data-action="resume"]');
  await page.waitForURL((url) => url.pathname.startsWith('/console/executions/') && !url.pathname.endsWith(failed), WAIT_FOR);
  await page.waitForSelector('#execution-status[data-status="completed"]', WAIT_FOR);
  await page.waitForSelector('[data-node-id="split"][data-status="completed"]', WAIT_FOR);
  expect(retries()).toBe(1);
  const resumedId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  expect(resumedId).not.toBe(failed);
  const resumed = await engine.client.status(ORG_A, resumedId);
  expect(resumed).toMatchObject({ status: 'completed', retryOf: failed });
  expect(resumed.steps.load.reused).toBe(true);
  expect(await page.locator('[data-node-id="load"]').textContent()).toContain('reused');
  expect(await page.locator('[data-node-id="notify"]').textContent()).not.toContain('reused');
  expect(await page.locator(`a[href="/console/executions/${failed}"]`).count()).toBeGreaterThan(0);
  expect((await engine.client.deadLetter(ORG_A, letterId)).status).toBe('retried');
  await page.context().close();
});

test('purging a dead letter asks for confirmation first', async () => {
  const failed = await startExecution(ORG_A, splitBill(), { total: 10, parts: 0 });
  const letterId = await deadLetterOf(ORG_A, failed);
  const page = await openSignedIn(keys.operator, `/console/dead-letters/${letterId}`);
  await page.click('[data-action="purge"]');
  await snap(page, 'dead-letter-purge-dialog');
  await page.click('dialog [data-dialog="cancel"]');
  expect(await page.locator('dialog').count()).toBe(0);
  expect((await engine.client.deadLetter(ORG_A, letterId)).status).toBe('open');

  await page.click('[data-action="purge"]');
  await page.click('dialog [data-dialog="confirm"]');
  await page.waitForSelector('#dead-letter-state:text("purged")', WAIT_FOR);
  expect((await engine.client.deadLetter(ORG_A, letterId)).status).toBe('purged');
  expect(await page.locator('[data-action]').count()).toBe(0);
  await page.context().close();
});

test('a viewer key is shown no action buttons', async () => {
  const running = await startExecution(ORG_A, waitGraph(), {});
  const failed = await startExecution(ORG_A, splitBill(), { total: 1, parts: 0 });
  const letterId = await deadLetterOf(ORG_A, failed);
  const page = await openSignedIn(keys.viewer, `/console/dead-letters/${letterId}`);
  await page.waitForSelector('#dead-letter-input', WAIT_FOR);
  expect(await page.locator('#dead-letter-state').textContent()).toBe('open');
  expect(await page.locator('[data-action]').count()).toBe(0);
  expect(await page.locator('#resume-input').count()).toBe(0);
  expect(JSON.parse((await page.locator('#dead-letter-input').textContent())!)).toEqual({ total: 1, parts: 0 });

  await page.goto(`${baseUrl}/console/executions/${running}`);
  await page.waitForSelector('[data-node-id="hold"][data-status="waiting"]', WAIT_FOR);
  expect(await page.locator('[data-action]').count()).toBe(0);
  expect(await page.locator('#who').textContent()).toContain('read only');
  await engine.client.cancel(ORG_A, running);
  await page.context().close();
});

test("another organization's key sees nothing of the first", async () => {
  const running = await startExecution(ORG_A, waitGraph(), {});
  const failed = await startExecution(ORG_A, splitBill(), { total: 2, parts: 0 });
  const letterId = await deadLetterOf(ORG_A, failed);
  const page = await openSignedIn(keys.otherAdmin, '/console/executions');
  await page.waitForSelector('#executions td.empty', WAIT_FOR);
  expect(await page.locator('#executions').textContent()).not.toContain(running);

  await page.goto(`${baseUrl}/console/executions/${running}`);
  await expect.poll(() => page.locator('main .problem').textContent(), WAIT_FOR).toContain('not found');
  expect(await page.locator('[data-node-id]').count()).toBe(0);

  await page.goto(`${baseUrl}/console/dead-letters`);
  await page.waitForSelector('#dead-letters td.empty', WAIT_FOR);
  await page.goto(`${baseUrl}/console/dead-letters/${letterId}`);
  await expect.poll(() => page.locator('main .problem').textContent(), WAIT_FOR).toContain('not found');
  const text = (await page.evaluate<string>('document.body.innerText')) ?? '';
  expect(text).not.toContain(ORG_A);
  await engine.client.cancel(ORG_A, running);
  await page.context().close();
});

test('a 200-node graph draws every node with its status', async () => {
  const { graph } = layeredGraph(200, 10);
  const executionId = await startExecution(ORG_A, { id: graphId('console-wide'), ...graph }, { d: 0 });
  await engine.client.waitForEnd(ORG_A, executionId);
  const page = await openSignedIn(keys.viewer, '/console/executions');
  const started = Date.now();
  await page.goto(`${baseUrl}/console/executions/${executionId}`);
  await page.waitForSelector('#graph[data-drawn-ms]', WAIT_FOR);
  const drawnMs = Date.now() - started;
  expect(await page.locator('svg.graph [data-node-id][data-status]').count()).toBe(200);
  await expect.poll(() => page.locator('[data-node-id][data-status="completed"]').count(), WAIT_FOR).toBe(200);
  const layoutMs = await page.getAttribute('#graph', 'data-drawn-ms');
  await snap(page, 'execution-200-nodes');
  await page.click('#graph-fit');
  expect(await page.getAttribute('svg.graph', 'class')).toContain('fitted');
  await snap(page, 'execution-200-nodes-fitted');
  process.stdout.write(`console: a 200-node graph drew in ${drawnMs} ms from navigation (layout and SVG ${layoutMs} ms)\n`);
  await page.context().close();
});

test('paging reaches the last of 10,000 executions, none skipped or repeated', async () => {
  // 27 executions per millisecond, so pages end inside a millisecond: the cursor must hold the rows' full precision.
  await engine.pool.query(
    `INSERT INTO executions (id, organization_id, graph_id, graph_version, status, workflow_id, created_at, started_at, finished_at)
     SELECT 'page-' || lpad(n::text, 5, '0'), $1, 'paged', 1, 'completed', 'page-' || n,
            timestamptz '2024-01-01T00:00:00Z' + n * interval '37 microseconds', timestamptz '2024-01-01T00:00:00Z', timestamptz '2024-01-01T00:00:01Z'
       FROM generate_series(1, 10000) AS n`,
    [ORG_PAGING],
  );
  const page = await openSignedIn(keys.paging, '/console/executions?limit=200');
  const seen = new Set<string>();
  const started = Date.now();
  for (let number = 1; ; number++) {
    await page.waitForSelector(`#page-number:text("Page ${number}")`, WAIT_FOR);
    const ids = await page.locator('#executions tr[data-execution-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-execution-id')!));
    expect(ids.length).toBe(200);
    for (const id of ids) seen.add(id);
    if ((await page.locator('#last-page').count()) > 0) break;
    await page.click('#next-page');
  }
  await snap(page, 'executions-last-page');
  process.stdout.write(`console: paged through 10,000 executions (50 pages of 200) in ${Date.now() - started} ms\n`);
  expect(seen.size).toBe(10_000);
  expect(await page.locator('#executions tr[data-execution-id]').last().getAttribute('data-execution-id')).toBe('page-00001');
  await page.click('#previous-page');
  await page.waitForSelector('#page-number:text("Page 49")', WAIT_FOR);
  await page.context().close();
}, 180_000);

test('no request of any page carried a key in its URL', () => {
  expect(requestedUrls.length).toBeGreaterThan(50);
  for (const url of requestedUrls) {
    for (const apiKey of Object.values(keys)) expect(url).not.toContain(apiKey.slice(-20));
    expect(url).not.toContain('wfk_');
  }
});

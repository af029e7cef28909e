/**
 * The Temporal Web UI shows an encrypted execution decoded, in headless Chromium: the
 * browser's codec setting points at the API's /codec with "Include cross-origin
 * credentials" (as the sign-in page tells a user to set it). Before signing in the UI's
 * decode calls are refused and the input stays hidden; after an admin signs in on
 * /codec/sign-in the execution's input shows; after signing out it is hidden again.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createApiKey } from '../../src/client/keys';
import { loadPayloadKeys } from '../../src/config';
import { codecOf, payloadDataConverter } from '../../src/payloads/data-converter';
import { generateSecretsKey } from '../../src/secrets/cipher';
import { launchBrowser } from '../helpers/browser';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

const MARKER = `web-ui-marker-${process.pid}-5e7a`;
const dataConverter = payloadDataConverter(loadPayloadKeys({ WF_PAYLOAD_KEY: generateSecretsKey() }));

let engine: TestEngine;
let api: FastifyInstance;
let apiUrl: string;
let browser: Browser;
let context: BrowserContext;
let adminKey: string;
let executionId: string;

const uiUrl = (): string => inject('temporalUiUrl');

/** The Web UI's own settings (its persisted stores), as its Codec Server dialog saves them. */
async function pointUiAtCodec(page: Page): Promise<void> {
  await page.goto(uiUrl());
  // Strings run in the page (this project compiles without DOM types).
  const settings = { overrideRemoteCodecConfiguration: 'true', endpoint: JSON.stringify(`${apiUrl}/codec`), includeCredentials: 'true' };
  await page.evaluate(`Object.entries(${JSON.stringify(settings)}).forEach(([key, value]) => localStorage.setItem(key, value))`);
}

/** Opens the execution and waits for the UI's first decode call; its status and the page text. */
async function openExecution(page: Page): Promise<{ status: number; text: string }> {
  const decoded = page.waitForResponse((response) => response.url().includes('/codec/decode') && response.request().method() === 'POST');
  await page.goto(`${uiUrl()}/namespaces/default/workflows/${executionId}`);
  const status = (await decoded).status();
  if (status === 200) await expect.poll(() => pageText(page), { timeout: 20_000 }).toContain(MARKER);
  // Refused: nothing can decode the marker, whatever else the page still renders.
  else await page.getByText(executionId).first().waitFor();
  return { status, text: await pageText(page) };
}

async function signIn(page: Page, key: string): Promise<string> {
  await page.goto(`${apiUrl}/codec/sign-in`);
  await page.fill('#key', key);
  await page.click('button[type=submit]');
  return pageText(page);
}

const pageText = (page: Page): Promise<string> => page.evaluate<string>('document.body.innerText');

beforeAll(async () => {
  engine = await startTestEngine({ dataConverter });
  api = await buildApi({ client: engine.client, pool: engine.pool, payloadCodec: codecOf(dataConverter), codecCorsOrigins: [uiUrl()] });
  await api.listen({ host: '127.0.0.1', port: 0 });
  const address = api.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  apiUrl = `http://127.0.0.1:${address.port}`;
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING");
  adminKey = (await createApiKey(engine.pool, 'default', 'admin')).apiKey;
  const graph = { id: graphId('webui'), version: 1, nodes: [{ id: 'echo', type: 'mock', config: { output: { said: { $expr: 'input.secret' } } } }], edges: [] };
  executionId = (await engine.client.start({ organizationId: 'default', graph, input: { secret: MARKER } })).executionId;
  expect((await engine.client.waitForEnd('default', executionId)).status).toBe('completed');
  browser = await launchBrowser();
  context = await browser.newContext();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await engine?.stop();
});

test('the Web UI shows the input only while an admin is signed in to the codec', async () => {
  const page = await context.newPage();
  await pointUiAtCodec(page);

  const before = await openExecution(page);
  expect(before.status).toBe(401);
  expect(before.text).not.toContain(MARKER);

  const signedIn = await signIn(page, adminKey);
  expect(signedIn).toContain('Signed in with key');
  const after = await openExecution(page);
  expect(after.status).toBe(200);
  expect(after.text).toContain(MARKER);

  await page.goto(`${apiUrl}/codec/sign-in`);
  await page.click('text=Sign out');
  const signedOut = await openExecution(page);
  expect(signedOut.status).toBe(401);
  expect(signedOut.text).not.toContain(MARKER);
}, 90_000);

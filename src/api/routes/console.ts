/**
 * The console (DESIGN §13): static files built by `npm run build` (scripts/build-console.mjs)
 * into dist/console/, served here so no second server runs. Every page URL answers the same
 * index.html (the browser's router draws the page); /console/assets/* are the hashed bundles.
 * Loading the page needs no key: every data call it makes does (Authorization: Bearer, the
 * key kept in the tab's sessionStorage, never in a URL).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** dist/console/ of this checkout (a bundled CLI chunk resolves import.meta.url to this source file). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

/** Hashed by esbuild (app-<hash>.js): never changes, cached for a year. */
const HASHED_ASSET = /^[A-Za-z0-9_-]+-[A-Z0-9]{8}\.(js|css)$/;
const ASSET_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', map: 'application/json; charset=utf-8', txt: 'text/plain; charset=utf-8' };

// No inline script or style, data only from this origin, never framed.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const assetParams = z.strictObject({ name: z.string().max(200) });

export const consoleRoutes = (consoleDir: string = DEFAULT_CONSOLE_DIR): FastifyPluginAsyncZod => async (app) => {
  const page = async (reply: FastifyReply): Promise<FastifyReply> => {
    let html: string;
    try {
      html = await readFile(join(consoleDir, 'index.html'), 'utf8');
    } catch {
      return reply.status(503).headers({ 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).send('The console is not built: run `npm run build` (it bundles src/console into dist/console), then reload.\n');
    }
    return reply.status(200).headers(PAGE_HEADERS).send(html);
  };

  app.get('/console', { schema: { hide: true } }, async (_request, reply) => page(reply));
  // /console/executions, /console/executions/:id, /console/dead-letters[/:id], /console/queues: the router draws them.
  app.get('/console/*', { schema: { hide: true } }, async (_request, reply) => page(reply));

  app.get('/console/assets/:name', { schema: { hide: true, params: assetParams } }, async (request, reply) => {
    const { name } = request.params;
    const extension = name.split('.').pop() ?? '';
    const type = CONTENT_TYPES[extension];
    const notFound = () => reply.status(404).send({ error: { type: 'NotFound', message: `no console asset ${name}` } });
    if (!ASSET_NAME.test(name) || !type) return notFound();
    let body: Buffer;
    try {
      body = await readFile(join(consoleDir, 'assets', name));
    } catch {
      return notFound();
    }
    return reply
      .status(200)
      .headers({ 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': HASHED_ASSET.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache' })
      .send(body);
  });
};

/**
 * Bundles the console (src/console, plain TypeScript for the browser) with esbuild into
 * dist/console/: assets/app-<hash>.js and assets/app-<hash>.css, and elkjs's layout worker
 * copied as assets/elk-worker-<hash>.js (the page lays graphs out off its main thread, and
 * the app bundle stays small); nothing is loaded from elsewhere at run time. Then
 * index.html naming them, written last and replaced
 * atomically so an API serving the directory never sees a page whose assets are missing.
 * Assets of older builds stay an hour for pages still open on them. Called by build.mjs.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const KEEP_OLD_ASSETS_MS = 60 * 60 * 1000;

export async function buildConsole(root) {
  const startedAt = Date.now();
  const outdir = join(root, 'dist', 'console');
  const assets = join(outdir, 'assets');
  mkdirSync(assets, { recursive: true });
  const worker = copyElkWorker(root, assets);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: 'src/console/main.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    tsconfig: 'src/console/tsconfig.json',
    outdir: assets,
    entryNames: '[name]-[hash]',
    minify: true,
    legalComments: 'eof',
    banner: { js: '/*! wf-engine console; bundles elkjs (Eclipse Layout Kernel, EPL-2.0), https://github.com/kieler/elkjs */' },
    define: { ELK_WORKER_URL: JSON.stringify(`/console/assets/${worker}`) },
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
  const js = outputs.find((name) => name.endsWith('.js'));
  const css = outputs.find((name) => name.endsWith('.css'));
  if (!js || !css) throw new Error(`the console build made no ${js ? 'CSS' : 'JavaScript'} file`);
  const html = readFileSync(join(root, 'src', 'console', 'index.html'), 'utf8').replace('%JS%', js).replace('%CSS%', css);
  const temporary = join(outdir, `index.html.${process.pid}.tmp`);
  writeFileSync(temporary, html);
  renameSync(temporary, join(outdir, 'index.html'));
  const current = new Set([...outputs, worker]);
  for (const name of readdirSync(assets)) {
    const path = join(assets, name);
    if (!current.has(name) && startedAt - statSync(path).mtimeMs > KEEP_OLD_ASSETS_MS) rmSync(path, { force: true });
  }
  return { js, css, worker, ms: Date.now() - startedAt };
}

/** elkjs's worker script under a name hashed from its content (so it may be cached for good). */
function copyElkWorker(root, assets) {
  const require = createRequire(join(root, 'package.json'));
  const source = readFileSync(require.resolve('elkjs/lib/elk-worker.min.js'));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 8).toUpperCase();
  const name = `elk-worker-${hash}.js`;
  writeFileSync(join(assets, name), source);
  return name;
}

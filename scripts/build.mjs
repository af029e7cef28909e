#!/usr/bin/env node
/**
 * Compiles the `wf` CLI to JavaScript under dist/, so bin/wf.js starts without compiling
 * TypeScript on every call, and bundles the browser console into dist/console/
 * (build-console.mjs). Run by `npm ci` and `npm install` (the `prepare` script), by
 * `npm test` before the tests, and by `npm run build`; takes well under a second.
 *
 * esbuild bundles src/cli/main.ts as ESM for Node, with packages left to node_modules, and
 * splits at every dynamic import, so each command's modules (and the packages they import)
 * load only when that command runs. Every build goes to its own directory, dist/wf-<id>/;
 * dist/wf.json, replaced atomically at the end, names the current one and the source files it
 * was built from, so bin/wf.js never runs a half-written build (other processes may be running
 * `wf` from the same tree while this builds) and can tell a build older than its sources.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildConsole } from './build-console.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const POINTER = join(DIST, 'wf.json');
/** Older builds stay this long for `wf` processes that started from them and still import chunks. */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

const startedAt = Date.now();
const buildDir = `wf-${startedAt.toString(36)}-${process.pid.toString(36)}`;
const outdir = join(DIST, buildDir);
const toPosix = (path) => path.split(sep).join('/');

/**
 * Source modules locate files next to them with `new URL(..., import.meta.url)` (the workflow
 * sources the worker bundles, migrations). In a bundle import.meta.url is the chunk's, so each
 * module gets its own source file's URL instead, relative to the chunk: every chunk sits
 * directly in outdir.
 */
const sourceModuleUrls = {
  name: 'source-module-urls',
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromChunk = JSON.stringify(toPosix(relative(outdir, args.path)));
      return { contents: text.replaceAll('import.meta.url', `new URL(${fromChunk}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

/**
 * Node's ESM loader does not add extensions: a deep import into a package without an
 * "exports" map (`@temporalio/common/lib/proto-utils`) must name the file.
 */
const deepImportExtensions = {
  name: 'deep-import-extensions',
  setup(context) {
    context.onResolve({ filter: /^(@[^/]+\/)?[^./][^/]*\/.+/ }, (args) => {
      if (/\.[cm]?js$/.test(args.path)) return undefined;
      const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
      const require = createRequire(pathToFileURL(args.importer || join(ROOT, 'package.json')));
      let manifestPath;
      try {
        manifestPath = require.resolve(`${name}/package.json`);
      } catch {
        return undefined;
      }
      if (JSON.parse(readFileSync(manifestPath, 'utf8')).exports) return undefined;
      const file = require.resolve(args.path);
      return { path: `${name}/${toPosix(relative(dirname(manifestPath), file))}`, external: true };
    });
  },
};

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { wf: 'src/cli/main.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  plugins: [deepImportExtensions, sourceModuleUrls],
});

const inputs = [...Object.keys(result.metafile.inputs), toPosix(relative(ROOT, fileURLToPath(import.meta.url)))].sort();
const pointer = { dir: buildDir, entry: 'wf.js', builtAt: startedAt, inputs };
const temporary = `${POINTER}.${process.pid}.tmp`;
writeFileSync(temporary, `${JSON.stringify(pointer, null, 2)}\n`);
renameSync(temporary, POINTER);

for (const name of existsSync(DIST) ? readdirSync(DIST) : []) {
  if (!name.startsWith('wf-') || name === buildDir) continue;
  const path = join(DIST, name);
  if (startedAt - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
}

const consoleBuild = await buildConsole(ROOT);

if (!process.argv.includes('--quiet')) {
  const files = readdirSync(outdir).length;
  process.stdout.write(`built dist/${buildDir} (${files} files from ${inputs.length} sources) and dist/console (${consoleBuild.js}, ${consoleBuild.css}) in ${Date.now() - startedAt} ms\n`);
}

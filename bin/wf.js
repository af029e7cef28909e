#!/usr/bin/env node
// `wf` launcher. Runs the compiled CLI (dist/, built by `npm ci`, `npm test` and
// `npm run build`; scripts/build.mjs). When there is no build, or a source file it was built
// from has changed since, runs the TypeScript sources through tsx instead (slower to start,
// never stale), and says so on a terminal.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** The current build's entry when it is at least as new as every source it was built from. */
function compiledEntry() {
  let build;
  try {
    build = JSON.parse(readFileSync(new URL('dist/wf.json', root), 'utf8'));
  } catch {
    return { stale: 'the CLI is not compiled' };
  }
  for (const input of build.inputs) {
    let modified;
    try {
      modified = statSync(new URL(input, root)).mtimeMs;
    } catch {
      modified = Infinity;
    }
    if (modified > build.builtAt) return { stale: `${input} ${modified === Infinity ? 'is gone' : 'changed'} since the last build` };
  }
  return { url: new URL(`dist/${build.dir}/${build.entry}`, root) };
}

const compiled = compiledEntry();
if (compiled.url) {
  await import(compiled.url.href);
} else {
  if (process.stderr.isTTY) process.stderr.write(`wf: ${compiled.stale}; running from source (slower). \`npm run build\` compiles it.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

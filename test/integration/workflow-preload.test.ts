/**
 * The workflow bundle's preload step (src/workflow-bundle-options.ts) really loads zod and
 * cel-js and the shared schemas once per worker thread. It once named zod alone, and webpack
 * compiled that `require('zod')` to `0;` (zod's package says it has no side effects), so zod
 * loaded again for every execution without anyone noticing. Read from the bundle every
 * worker of the tests runs (test/setup/global-setup.ts builds it with the worker's options).
 */
import { readFileSync } from 'node:fs';
import { expect, inject, test } from 'vitest';
import { sharedOnce } from '../../src/workflows/shared-once';

const code = readFileSync(inject('workflowBundlePath'), 'utf8');

/** The body of the bundle's module `id` (webpack's development output: each module opens with a `/***\/ "id"` line). */
function moduleBody(id: string): string {
  const start = code.indexOf(`/***/ "${id}"\n`);
  expect(start, `module ${id} in the bundle`).toBeGreaterThanOrEqual(0);
  const next = code.indexOf('\n/***/ "', start + 1);
  return code.slice(start, next < 0 ? undefined : next);
}

test('the preload step requires the preloaded modules, and they require zod and cel-js', () => {
  const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
  expect(preload).toContain('"./src/workflows/preloaded-libraries.ts"');
  expect(preload).toContain('"./src/workflows/shared-once.ts"');
  expect(preload).not.toMatch(/^\s*0;\s*$/m);
  const libraries = moduleBody('./src/workflows/preloaded-libraries.ts');
  expect(libraries).toMatch(/__webpack_require__\(\/\*! zod \*\/ "\.\/node_modules\/zod\//);
  expect(libraries).toMatch(/__webpack_require__\(\/\*! @marcbachmann\/cel-js \*\/ "\.\/node_modules\/@marcbachmann\/cel-js\//);
  // Shared across executions: it must stay free of imports, or it would share (and freeze) them too.
  expect(moduleBody('./src/workflows/shared-once.ts')).not.toContain('__webpack_require__(');
});

test('sharedOnce builds a value once and hands the same one out after', () => {
  let builds = 0;
  const key = `test-${Math.random()}`;
  const first = sharedOnce(key, () => ({ built: ++builds }));
  expect(sharedOnce(key, () => ({ built: ++builds }))).toBe(first);
  expect(builds).toBe(1);
});

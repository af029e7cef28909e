/**
 * Every recorded history under test/histories/ (`npm run histories:record`) replays against
 * the current workflow code (DESIGN §4 "Determinism"). A failure here means a workflow change
 * would break executions already running: guard it with `patched()` (README: Replay and
 * determinism) instead of re-recording.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Runtime } from '@temporalio/worker';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { quietReplayRuntime, readHistoryFile, replayHistories, type ReplayVerdict } from '../../src/replay/replay';

const HISTORIES = fileURLToPath(new URL('../histories', import.meta.url));
const files = readdirSync(HISTORIES)
  .filter((name) => name.endsWith('.json'))
  .sort();
const verdicts = new Map<string, ReplayVerdict>();

beforeAll(async () => {
  // The replay worker logs each failed workflow task with its stack; the assertions say it better.
  Runtime.install(quietReplayRuntime());
  const histories = await Promise.all(files.map((name) => readHistoryFile(join(HISTORIES, name))));
  // One replay worker, one load of the run's workflow bundle, for all histories.
  for (const verdict of await replayHistories(histories, { workflowBundle: { codePath: inject('workflowBundlePath') } })) {
    verdicts.set(verdict.source, verdict);
  }
});

describe('recorded histories replay deterministically', () => {
  test('the representative graphs are recorded', () => {
    // DESIGN §4: if/else, fan-out, retries, failure with compensation, timers, signals, dead
    // letters; more may be added, none dropped.
    const required = ['if-else-merge', 'fan-out-20', 'retries', 'failure-cancelled', 'compensation', 'delay', 'wait', 'dead-letter'];
    for (const name of required) expect(files).toContain(`${name}.json`);
  });

  test.each(files)('%s', (name) => {
    const verdict = verdicts.get(join(HISTORIES, name));
    expect(verdict, `${name} was not replayed`).toBeDefined();
    expect(verdict!.events).toBeGreaterThan(0);
    const problem = verdict!.problem ? `${name}: NOT deterministic (${verdict!.problem.kind}): ${verdict!.problem.message}` : undefined;
    expect(problem).toBeUndefined();
  });
});

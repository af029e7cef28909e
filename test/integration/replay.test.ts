/**
 * `wf replay` as a user runs it (bin/wf.js in a child process): a recorded history file or the
 * latest run of an execution on the shared test server, replayed against the current workflow
 * code. Deterministic → exit 0; not → exit 1 with what differs; bad usage or file → 2;
 * Temporal unreachable → 3. Never a stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { waitFor } from '../helpers/wait-for';
import { runWf, type WfResult } from '../helpers/wf-cli';

const RECORDED = fileURLToPath(new URL('../histories/if-else-merge.json', import.meta.url));
let engine: TestEngine;
let dir: string;

beforeAll(async () => {
  engine = await startTestEngine();
  dir = mkdtempSync(join(tmpdir(), 'wf-replay-'));
});
afterAll(async () => engine?.stop());

type Result = WfResult;

function wf(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return runWf(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), ...env });
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
};

interface JsonEvent {
  eventId: string;
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityId: string; activityType: { name: string } };
  [key: string]: unknown;
}

const recorded = (): { events: JsonEvent[] } => JSON.parse(readFileSync(RECORDED, 'utf8'));

describe('wf replay --file', () => {
  test('a recorded history replays deterministically: exit 0', async () => {
    const result = await wf(['replay', '--file', RECORDED]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^deterministic: replayed \d+ events of history-if-else-merge-\S+ \(run \S+\)\n$/);
  });

  test('a history whose activity the code no longer schedules: exit 1, saying what differs', async () => {
    // As if the workflow code had renamed the node's activity id since the history was recorded.
    const history = recorded();
    const scheduled = history.events.find((event) => event.activityTaskScheduledEventAttributes)!;
    const original = scheduled.activityTaskScheduledEventAttributes!.activityId;
    scheduled.activityTaskScheduledEventAttributes!.activityId = `${original}_renamed`;
    const result = await wf(['replay', '--file', file('renamed-activity.json', history)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^wf: NOT deterministic: /);
    expect(result.stderr).toContain(`${original}_renamed`);
    expect(result.stderr).toContain('patched()');
    noStackTrace(result.stderr);
  });

  test('a history with an activity of another type: exit 1', async () => {
    const history = recorded();
    const scheduled = history.events.find((event) => event.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType.name = 'http';
    const result = await wf(['replay', '--file', file('retyped-activity.json', history)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^wf: NOT deterministic: .*http/);
    noStackTrace(result.stderr);
  });

  test('a history with an activity removed (the code schedules one the history lacks): exit 1', async () => {
    const history = recorded();
    const index = history.events.findIndex((event) => event.activityTaskScheduledEventAttributes);
    // Drop the scheduled activity and everything after it that refers to it: the code now
    // schedules an activity where the history completes the workflow task with nothing.
    const kept = history.events.slice(0, index).concat(
      history.events.slice(index + 1).filter((event) => !JSON.stringify(event).includes(`"scheduledEventId":"${history.events[index].eventId}"`)),
    );
    const result = await wf(['replay', '--file', file('removed-activity.json', { events: kept.map((event, i) => ({ ...event, eventId: String(i + 1) })) })]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^wf: NOT deterministic: /);
    noStackTrace(result.stderr);
  });

  test('a missing file, a file that is not JSON or not a history, and bad usage: exit 2', async () => {
    const missing = await wf(['replay', '--file', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const notJson = await wf(['replay', '--file', file('not-json.json', '{"events": [')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
    const notHistory = await wf(['replay', '--file', file('graph.json', { id: 'g', version: 1, nodes: [] })]);
    expect(notHistory.code).toBe(2);
    expect(notHistory.stderr).toContain('is not a workflow history');
    const badEvent = await wf(['replay', '--file', file('bad-event.json', { events: [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' }] })]);
    expect(badEvent.code).toBe(2);
    expect(badEvent.stderr).toContain('not a valid workflow history');
    for (const args of [['replay'], ['replay', '--file', RECORDED, '--execution', 'x'], ['replay', '--file']]) {
      const usage = await wf(args);
      expect({ args, code: usage.code }).toEqual({ args, code: 2 });
      noStackTrace(usage.stderr);
    }
    for (const text of [missing.stderr, notJson.stderr, notHistory.stderr, badEvent.stderr]) noStackTrace(text);
  });
});

describe('wf replay --execution', () => {
  test('the latest run of a finished execution replays deterministically: exit 0', async () => {
    const started = await engine.client.start({
      organizationId: 'default',
      graph: {
        id: graphId('replay-exec'),
        version: 1,
        nodes: [
          { id: 'a', type: 'mock', config: { output: { n: 1 } } },
          { id: 'b', type: 'mock', config: { failAttempts: 1 }, retry: { initialInterval: '10ms' } },
          { id: 'c', type: 'transform', config: { output: { $expr: 'nodes.a.output.n + 1' } } },
        ],
        edges: [
          { from: 'a', to: 'b' },
          { from: 'a', to: 'c' },
        ],
      },
    });
    await engine.client.waitForEnd('default', started.executionId);
    const events = (await engine.temporal.workflow.getHandle(started.executionId).fetchHistory()).events?.length;
    const result = await wf(['replay', '--execution', started.executionId]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`deterministic: replayed ${events} events of ${started.executionId}`);
  });

  test('a running execution replays up to where it is', async () => {
    const started = await engine.client.start({
      organizationId: 'default',
      graph: {
        id: graphId('replay-running'),
        version: 1,
        nodes: [
          { id: 'first', type: 'mock' },
          { id: 'pause', type: 'delay', config: { duration: '1m' } },
        ],
        edges: [{ from: 'first', to: 'pause' }],
      },
    });
    const handle = engine.temporal.workflow.getHandle(started.executionId);
    // The delay's timer is in history: `first` is done and the execution sits in `pause`.
    const eventsAtPause = await waitFor("the delay node's timer in history", 30_000, async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      return events.some((event) => event.timerStartedEventAttributes) ? events.length : undefined;
    });
    const result = await wf(['replay', '--execution', started.executionId]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const replayed = /deterministic: replayed (\d+) events of (\S+)/.exec(result.stdout);
    expect(replayed, result.stdout).not.toBeNull();
    expect(replayed![2]).toBe(started.executionId);
    expect(Number(replayed![1])).toBeGreaterThanOrEqual(eventsAtPause);
    // It was replayed while still running (the delay is a minute).
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test over');
  });

  test('an unknown execution exits 2; Temporal unreachable exits 3 with a hint', async () => {
    const missing = await wf(['replay', '--execution', 'no-such-execution']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('execution "no-such-execution" not found');
    const unreachable = await wf(['replay', '--execution', 'whatever'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/Temporal is unreachable/);
    noStackTrace(missing.stderr + unreachable.stderr);
  });
});

/**
 * The `wf` command as a user runs it (bin/wf.js in a child process) against the real stack:
 * JSON shape and exit codes of DESIGN §7, problems with JSON paths, never a stack trace.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { runWf, type WfResult } from '../helpers/wf-cli';

let engine: TestEngine;
let dir: string;

beforeAll(async () => {
  engine = await startTestEngine();
  dir = mkdtempSync(join(tmpdir(), 'wf-cli-'));
});
afterAll(async () => engine?.stop());

type Result = WfResult;

function wf(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return runWf(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, ...env });
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
};

describe('wf run', () => {
  test('--json prints exactly one JSON object of the documented shape and exits 0 on completion', async () => {
    const graph = file('ok.json', {
      id: graphId('cli-ok'),
      version: 1,
      nodes: [
        { id: 'double', type: 'mock', config: { output: { n: { $expr: 'input.n * 2' } } } },
        { id: 'skip_me', type: 'noop' },
        { id: 'done', type: 'noop' },
      ],
      edges: [
        { from: 'double', to: 'skip_me', when: 'output.n < 0' },
        { from: 'double', to: 'done' },
      ],
    });
    const result = await wf(['run', graph, '--input', '{"n": 21}', '--json']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const body = JSON.parse(lines[0]);
    expect(Object.keys(body).sort()).toEqual(['error', 'executionId', 'output', 'status', 'steps']);
    expect(body).toMatchObject({ status: 'completed', output: { n: 42 }, error: null });
    expect(body.steps.double).toEqual({ status: 'completed', attempts: 1, startedAt: expect.any(String), finishedAt: expect.any(String) });
    expect(body.steps.skip_me.status).toBe('skipped');
  });

  test('--input-file is read, and a failed execution exits 1 with its error', async () => {
    const graph = file('fail.json', { id: graphId('cli-fail'), version: 1, nodes: [{ id: 'boom', type: 'mock', config: { fail: { type: 'Nope', message: 'bad day', nonRetryable: true } } }] });
    const input = file('input.json', { any: 'thing' });
    const result = await wf(['run', graph, '--input-file', input, '--json']);
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ status: 'failed', output: null, error: { type: 'NodeFailed', node: { nodeId: 'boom', type: 'Nope', message: 'bad day' } } });
    noStackTrace(result.stdout + result.stderr);
  });

  test('an invalid graph exits 2 with every problem and its JSON path on stderr, and starts nothing', async () => {
    const id = graphId('cli-invalid');
    const graph = file('invalid.json', { id, version: 1, nodes: [{ id: 'a', type: 'mock', config: { delayMs: 'soon' } }, { id: 'b', type: 'teleport' }], edges: [{ from: 'a', to: 'c' }] });
    const result = await wf(['run', graph, '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('$.nodes[0].config.delayMs');
    expect(result.stderr).toContain('$.nodes[1].type');
    expect(result.stderr).toContain('$.edges[0].to');
    noStackTrace(result.stderr);
    expect((await engine.pool.query('SELECT 1 FROM executions WHERE graph_id = $1', [id])).rowCount).toBe(0);
  });

  test('bad --input JSON, a missing file and unknown options exit 2', async () => {
    const graph = file('plain.json', { id: graphId('cli-plain'), version: 1, nodes: [{ id: 'a', type: 'noop' }] });
    expect((await wf(['run', graph, '--input', '{nope'])).code).toBe(2);
    expect((await wf(['run', join(dir, 'missing.json')])).code).toBe(2);
    expect((await wf(['run', graph, '--frobnicate'])).code).toBe(2);
    const unknownOrg = await wf(['run', graph, '--org', 'no-such-org']);
    expect(unknownOrg.code).toBe(2);
    expect(unknownOrg.stderr).toContain('organization "no-such-org" not found');
    const notJson = await wf(['run', file('broken.json', '{"id": ')]);
    expect(notJson.code).toBe(2);
    noStackTrace(notJson.stderr);
  });

  test('Temporal or Postgres unreachable exits 3 with a hint, no stack trace, no secret', async () => {
    const graph = file('unreach.json', { id: graphId('cli-unreach'), version: 1, nodes: [{ id: 'a', type: 'noop' }] });
    const noTemporal = await wf(['run', graph], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(noTemporal.code).toBe(3);
    expect(noTemporal.stderr).toMatch(/Temporal is unreachable/);
    noStackTrace(noTemporal.stderr);
    const noPostgres = await wf(['run', graph], { DATABASE_URL: 'postgres://user:s3cret-pass@127.0.0.1:1/wf' });
    expect(noPostgres.code).toBe(3);
    expect(noPostgres.stderr).toMatch(/PostgreSQL is unreachable/);
    expect(noPostgres.stderr).not.toContain('s3cret-pass');
    noStackTrace(noPostgres.stderr);
  });
});

describe('wf status and wf validate', () => {
  test('status --json prints the same shape as run; an unknown id exits 2', async () => {
    const graph = file('status.json', { id: graphId('cli-status'), version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: 'x' } }] });
    const ran = JSON.parse((await wf(['run', graph, '--json'])).stdout);
    const status = await wf(['status', ran.executionId, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual(ran);
    const text = await wf(['status', ran.executionId]);
    expect(text.stdout).toContain('completed');
    const missing = await wf(['status', 'no-such-execution']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not found');
  });

  test('validate exits 0 for a valid graph and 2 with every problem for an invalid one', async () => {
    const valid = await wf(['validate', fileURLToPath(new URL('../../examples/hello.json', import.meta.url))]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('is valid');
    const cyclic = file('cycle.json', {
      id: 'cyclic',
      version: 1,
      nodes: [
        { id: 'a', type: 'noop' },
        { id: 'b', type: 'noop' },
        { id: 'c', type: 'transform', config: { output: { $expr: 'input.x +' } } },
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'a', to: 'c', when: '1 + "x"' },
      ],
    });
    const invalid = await wf(['validate', cyclic], { TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: 'postgres://127.0.0.1:1/x' });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/cycle: (a -> b -> a|b -> a -> b)/);
    expect(invalid.stderr).toContain('$.nodes[2].config.output: expression does not parse');
    expect(invalid.stderr).toContain('$.edges[2].when: expression does not type-check');
    noStackTrace(invalid.stderr);
  });

  test('every example graph is valid', async () => {
    // Every graph in examples/ (inputs/ and servers/ are not graphs), so a new one cannot be missed.
    const names = readdirSync(fileURLToPath(new URL('../../examples', import.meta.url))).filter((name) => name.endsWith('.json'));
    expect(names).toEqual(expect.arrayContaining(['hello.json', 'http-notify.json']));
    for (const name of names) {
      const result = await wf(['validate', fileURLToPath(new URL(`../../examples/${name}`, import.meta.url))]);
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: '' });
    }
  });
});

describe('wf dlq and wf signal', () => {
  test('a node failing for good is found with dlq list, resumed with corrected input, and completes reusing earlier nodes', async () => {
    const example = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/split-bill.json', import.meta.url)), 'utf8'));
    const graph = file('split.json', { ...example, id: graphId('cli-split') });
    const failed = await wf(['run', graph, '--input', '{"total": 90, "parts": 0}', '--json']);
    expect(failed.code).toBe(1);
    const failedBody = JSON.parse(failed.stdout);
    expect(failedBody.steps.reserve.status).toBe('compensated');

    const list = await wf(['dlq', 'list', '--json', '--since', '1h']);
    expect(list.code).toBe(0);
    const letters = JSON.parse(list.stdout) as Record<string, unknown>[];
    const letter = letters.find((item) => item.executionId === failedBody.executionId)!;
    expect(Object.keys(letter).sort()).toEqual(['createdAt', 'error', 'executionId', 'failedNodes', 'graphId', 'graphVersion', 'id']);
    expect(letter).toMatchObject({ failedNodes: ['split'], error: { type: 'ExpressionError' } });

    const show = await wf(['dlq', 'show', String(letter.id)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('failed nodes: split');

    const retried = await wf(['dlq', 'retry', String(letter.id), '--resume', '--input', '{"total": 90, "parts": 3}', '--json']);
    expect(retried.code).toBe(0);
    const body = JSON.parse(retried.stdout);
    expect(body).toMatchObject({ status: 'completed', retryOf: failedBody.executionId, output: { share: 30 } });
    expect(body.steps.load).toMatchObject({ status: 'completed', reused: true, attempts: 0 });
    // reserve was compensated in the failed run, so it ran again rather than being reused
    expect(body.steps.reserve).toMatchObject({ status: 'completed', attempts: 1 });
    expect(body.steps.reserve.reused).toBeUndefined();

    const again = await wf(['dlq', 'retry', String(letter.id)]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already retried');
    const missing = await wf(['dlq', 'purge', 'dlq-nope']);
    expect(missing.code).toBe(2);
    expect((await wf(['dlq', 'list', '--since', 'yesterday'])).code).toBe(2);
  });

  test('wf dlq retry --detach --json names the failed execution as retryOf', async () => {
    const example = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/split-bill.json', import.meta.url)), 'utf8'));
    const graph = file('split-detach.json', { ...example, id: graphId('cli-split-detach') });
    const failedBody = JSON.parse((await wf(['run', graph, '--input', '{"total": 90, "parts": 0}', '--json'])).stdout);
    const letters = JSON.parse((await wf(['dlq', 'list', '--json'])).stdout) as { id: string; executionId: string }[];
    const letter = letters.find((item) => item.executionId === failedBody.executionId)!;
    const detached = await wf(['dlq', 'retry', letter.id, '--resume', '--input', '{"total": 90, "parts": 3}', '--detach', '--json']);
    expect(detached.code).toBe(0);
    const started = JSON.parse(detached.stdout);
    expect(started.retryOf).toBe(failedBody.executionId);
    expect(started.executionId).not.toBe(failedBody.executionId);
    expect((await engine.client.waitForEnd('default', started.executionId)).status).toBe('completed');
  });

  test('wf signal delivers the payload a wait node outputs', async () => {
    const graph = file('wait.json', { id: graphId('cli-wait'), version: 1, nodes: [{ id: 'approval', type: 'wait', config: { signal: 'approve', timeout: '1m' } }] });
    const started = JSON.parse((await wf(['run', graph, '--detach', '--json'])).stdout);
    let sent: Result = { code: -1, stdout: '', stderr: '' };
    for (let i = 0; i < 50; i++) {
      const status = JSON.parse((await wf(['status', started.executionId, '--json'])).stdout || '{}');
      if (status.steps?.approval?.status === 'waiting') {
        sent = await wf(['signal', started.executionId, 'approve', '--payload', '{"ok": true}']);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(sent.code).toBe(0);
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.output).toEqual({ ok: true });
    const late = await wf(['signal', started.executionId, 'approve']);
    expect(late.code).toBe(2);
  });

  test('wf signal refuses an engine-internal signal name: exit 2, and a queued execution stays queued', async () => {
    const key = `cli-reserved-${Date.now()}`;
    const graph = { id: graphId('cli-reserved'), version: 1, settings: { concurrency: { key: `'${key}'`, max: 1 } }, nodes: [{ id: 'approval', type: 'wait', config: { signal: 'go', timeout: '1m' } }] };
    const first = await engine.client.start({ organizationId: 'default', graph });
    const second = await engine.client.start({ organizationId: 'default', graph });
    const statusOf = async (id: string) => (await engine.client.status('default', id)).status;
    for (let i = 0; i < 100 && (await statusOf(second.executionId)) !== 'queued'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusOf(second.executionId)).toBe('queued');
    const refused = await wf(['signal', second.executionId, 'slotGranted', '--payload', `{"grantedAt": "${new Date().toISOString()}"}`]);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toContain('"slotGranted" is reserved');
    noStackTrace(refused.stderr);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await statusOf(second.executionId)).toBe('queued');
    for (const started of [second, first]) await engine.client.cancel('default', started.executionId);
    for (const started of [first, second]) expect((await engine.client.waitForEnd('default', started.executionId)).status).toBe('cancelled');
  });
});

/**
 * Compensation attempts in the mirror follow Temporal's retries, as the chaos suite found they
 * did not: a compensation whose first attempt finished (and wrote "completed") on a worker
 * killed before Temporal heard of it was retried, and the mirror kept attempt 1 "completed"
 * before attempt 2; a compensation that ran while Postgres was restarting left no rows at all.
 * Starting attempt N records the attempts before it as failed (AttemptLost), a late write of
 * an earlier attempt does not undo that, and the workflow's final batch writes what its
 * activities could not (reconcileAttempts, from the compensation's attempts in history).
 */
import type { Pool } from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPool } from '../../src/store/pool';
import { reconcileAttempts } from '../../src/store/mirror/reconcile-attempts';
import { recordCompensationAttempt } from '../../src/store/mirror/record-compensation-attempt';
import { createTestDatabase } from '../helpers/engine';

let pool: Pool;
beforeAll(async () => {
  pool = createPool(await createTestDatabase());
  await pool.query("INSERT INTO executions (id, organization_id, graph_id, graph_version, status, workflow_id) VALUES ('e1', 'default', 'g', 1, 'running', 'e1')");
});
afterAll(async () => pool?.end());

const key = (attempt: number) => ({ executionId: 'e1', organizationId: 'default', nodeId: 'charge', nodeType: 'mock', attempt });

async function rows(nodeId = 'charge'): Promise<{ attempt: number; status: string; error: { type: string } | null }[]> {
  const found = await pool.query("SELECT attempt, status, error FROM execution_step_attempts WHERE execution_id = 'e1' AND node_id = $1 AND kind = 'compensate' ORDER BY attempt", [nodeId]);
  return found.rows;
}

test('a retried compensation: the earlier attempt, completed or still running, becomes failed with AttemptLost', async () => {
  await recordCompensationAttempt(pool, key(1), 'running');
  await recordCompensationAttempt(pool, key(1), 'completed'); // its worker died before reporting it
  await recordCompensationAttempt(pool, key(2), 'running');
  expect(await rows()).toMatchObject([
    { attempt: 1, status: 'failed', error: { type: 'AttemptLost' } },
    { attempt: 2, status: 'running', error: null },
  ]);
  await recordCompensationAttempt(pool, key(3), 'running'); // attempt 2 never reported at all
  await recordCompensationAttempt(pool, key(3), 'completed');
  expect((await rows()).map((row) => [row.attempt, row.status])).toEqual([
    [1, 'failed'],
    [2, 'failed'],
    [3, 'completed'],
  ]);
});

test('a late write of an earlier attempt (it ran on after its timeout) does not overwrite it', async () => {
  await recordCompensationAttempt(pool, key(2), 'completed');
  expect((await rows()).map((row) => [row.attempt, row.status])).toEqual([
    [1, 'failed'],
    [2, 'failed'],
    [3, 'completed'],
  ]);
});

test("the workflow's final word writes compensation attempts no activity could write", async () => {
  // Postgres was away while `reserve` was compensated in two attempts: no rows.
  await reconcileAttempts(pool, 'e1', 'default', [{ nodeId: 'reserve', nodeType: 'mock', status: 'compensated', attempts: 1, compensationAttempts: 2, final: true }]);
  expect(await rows('reserve')).toMatchObject([
    { attempt: 1, status: 'failed', error: { type: 'AttemptLost' } },
    { attempt: 2, status: 'completed', error: null },
  ]);
  // Where the activities did write, their rows are kept as they are.
  await reconcileAttempts(pool, 'e1', 'default', [{ nodeId: 'charge', nodeType: 'mock', status: 'compensated', attempts: 2, compensationAttempts: 3, final: true }]);
  expect((await rows()).map((row) => [row.attempt, row.status])).toEqual([
    [1, 'failed'],
    [2, 'failed'],
    [3, 'completed'],
  ]);
});

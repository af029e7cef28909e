/**
 * A mirror write the database refuses for good (here a trigger raising a check violation,
 * standing in for a constraint, a value jsonb cannot hold or a dropped column) does not
 * stall the execution: the flush is not retried forever, a leaner batch lands instead, and
 * the execution ends in Temporal and in the mirror. Outages are still waited out (faults
 * and server-restart tests).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, stepOutput } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await engine.pool.query(`
    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.node_id = 'poison_output' AND NEW.output IS NOT NULL THEN
        RAISE EXCEPTION 'step output refused' USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.node_id = 'poison_row' AND NEW.status = 'completed' THEN
        RAISE EXCEPTION 'step row refused' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON execution_steps FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
});
afterAll(async () => engine?.stop());

const chain = (poison: string) => ({
  id: graphId('refusal'),
  version: 1,
  nodes: [
    { id: 'first', type: 'mock', config: { output: { n: 1 } } },
    { id: poison, type: 'mock', config: { output: { secret: 'kept in Temporal' } } },
    { id: 'last', type: 'transform', config: { output: { done: true } } },
  ],
  edges: [
    { from: 'first', to: poison },
    { from: poison, to: 'last' },
  ],
  settings: { output: { $expr: 'nodes.last.output' } },
});

/** Ends the test with a clear message instead of the test timeout when the execution stalls. */
async function resultWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms (a refused mirror write stalls it)`)), ms);
  });
  try {
    return await Promise.race([promise, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

test('a refused step output: the execution completes and the mirror keeps the step without it', async () => {
  const started = await engine.client.start({ organizationId: 'default', graph: chain('poison_output'), input: {} });
  const result = await resultWithin(engine.temporal.workflow.getHandle(started.executionId).result(), 30_000, 'the execution');
  expect(result).toMatchObject({ status: 'completed' });
  const view = await engine.client.status('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ done: true });
  expect(view.steps.poison_output.status).toBe('completed');
  expect(await stepOutput(engine, started.executionId, 'poison_output')).toBeNull();
  expect(await stepOutput(engine, started.executionId, 'first')).toEqual({ n: 1 });
});

test('a refused step row: the execution still ends, and the mirror shows how', async () => {
  const started = await engine.client.start({ organizationId: 'default', graph: chain('poison_row'), input: {} });
  await resultWithin(engine.temporal.workflow.getHandle(started.executionId).result(), 30_000, 'the execution');
  const view = await engine.client.status('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.steps.poison_row.status).not.toBe('completed');
});

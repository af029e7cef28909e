/**
 * What the client remembers of its own calls (src/client/client-memory.ts): a graph version it
 * stored is not stored again, an execution it started is waited for without asking whose it
 * is, and the memory forgets its oldest entries past its capacity. The database and Temporal
 * are fakes that record what they are asked.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { ClientMemory } from '../../src/client/client-memory';
import type { ClientDeps } from '../../src/client/deps';
import { GraphVersionConflictError, NotFoundError } from '../../src/client/errors';
import { waitForEnd } from '../../src/client/executions';
import { storeGraph } from '../../src/client/graphs';
import type { Queryable } from '../../src/store/query';

const graph = { id: 'remembered', version: 1, nodes: [{ id: 'a', type: 'noop' }] };

/** A database whose organizations exist and whose graph table is empty at first; it logs the statements' names. */
function fakeDatabase(answers: Record<string, (values: unknown[]) => { rows: unknown[]; rowCount: number }> = {}) {
  const asked: string[] = [];
  const stored = new Map<string, unknown>();
  const db = {
    async query(statement: { name: string; values: unknown[] }) {
      asked.push(statement.name);
      const answer = answers[statement.name];
      if (answer) return answer(statement.values);
      if (statement.name === 'organizations/organization-exists') return { rows: [{}], rowCount: statement.values[0] === 'nobody' ? 0 : 1 };
      if (statement.name === 'graphs/insert-graph-version') {
        const key = JSON.stringify(statement.values.slice(0, 3));
        if (stored.has(key)) return { rows: [], rowCount: 0 };
        stored.set(key, statement.values[5]);
        return { rows: [], rowCount: 1 };
      }
      if (statement.name === 'graphs/graph-version-hash') return { rows: [{ hash: stored.get(JSON.stringify(statement.values)) }], rowCount: 1 };
      return { rows: [], rowCount: 0 };
    },
  };
  return { db: db as unknown as Queryable & Pool, asked };
}

describe('ClientMemory', () => {
  it('forgets the oldest entries past its capacity, and a remembered entry is refreshed', () => {
    const memory = new ClientMemory(2);
    memory.rememberStart('e1', 'org');
    memory.rememberStart('e2', 'org');
    memory.rememberStart('e1', 'org');
    memory.rememberStart('e3', 'org');
    expect(memory.startedBy('e1')).toBe('org');
    expect(memory.startedBy('e2')).toBeUndefined();
    expect(memory.startedBy('e3')).toBe('org');
  });

  it('tells graph versions apart by organization, id, version and content', () => {
    const memory = new ClientMemory();
    memory.rememberStored('org', 'g', 1, 'hash-a');
    expect(memory.isStored('org', 'g', 1, 'hash-a')).toBe(true);
    expect(memory.isStored('org', 'g', 1, 'hash-b')).toBe(false);
    expect(memory.isStored('org', 'g', 2, 'hash-a')).toBe(false);
    expect(memory.isStored('other', 'g', 1, 'hash-a')).toBe(false);
  });
});

describe('storeGraph with a memory', () => {
  it('stores a version once, then answers "existing" without asking the database', async () => {
    const { db, asked } = fakeDatabase();
    const memory = new ClientMemory();
    expect((await storeGraph(db, 'org', graph, memory)).stored).toBe('created');
    const queries = asked.length;
    expect(queries).toBeGreaterThan(0);
    expect((await storeGraph(db, 'org', structuredClone(graph), memory)).stored).toBe('existing');
    expect(asked.length).toBe(queries);
  });

  it('still asks for other content under the same version (refused), another organization, or an unknown one', async () => {
    const { db, asked } = fakeDatabase();
    const memory = new ClientMemory();
    await storeGraph(db, 'org', graph, memory);
    const queries = asked.length;
    await expect(storeGraph(db, 'org', { ...graph, nodes: [{ id: 'b', type: 'noop' }] }, memory)).rejects.toBeInstanceOf(GraphVersionConflictError);
    expect(asked.length).toBeGreaterThan(queries);
    expect((await storeGraph(db, 'other', graph, memory)).stored).toBe('created');
    await expect(storeGraph(db, 'nobody', graph, memory)).rejects.toBeInstanceOf(NotFoundError);
    // Refused documents are not remembered: the conflict is refused again, by the database.
    await expect(storeGraph(db, 'org', { ...graph, nodes: [{ id: 'b', type: 'noop' }] }, memory)).rejects.toBeInstanceOf(GraphVersionConflictError);
  });
});

describe('waitForEnd with a memory', () => {
  const executionRow = (values: unknown[]) => ({
    rows: [{ id: values[0], organization_id: values[1], graph_id: 'g', graph_version: 1, status: 'completed', output: { ok: true }, error: null, retry_of: null, schedule_id: null, parent_execution_id: null, queued_at: null, started_at: null, finished_at: null, steps: [], children: [] }],
    rowCount: 1,
  });
  const temporal = (described: string[]) =>
    ({
      workflow: {
        getHandle: (id: string) => ({
          result: async () => ({ status: 'completed' }),
          describe: async () => {
            described.push(id);
            throw new Error('not expected');
          },
        }),
      },
    }) as unknown as Client;

  it('does not ask whose an execution it started is, and asks for one it did not', async () => {
    const { db, asked } = fakeDatabase({ 'executions/read-execution-with-steps': executionRow, 'executions/execution-organization': () => ({ rows: [{ organization_id: 'org' }], rowCount: 1 }) });
    const described: string[] = [];
    const deps: ClientDeps = { temporal: temporal(described), pool: db, taskQueue: 'q', eagerStart: false, memory: new ClientMemory() };
    deps.memory.rememberStart('mine', 'org');
    expect((await waitForEnd(deps, 'org', 'mine')).output).toEqual({ ok: true });
    expect(asked).not.toContain('executions/execution-organization');
    expect(await waitForEnd(deps, 'org', 'not-mine')).toMatchObject({ executionId: 'not-mine', status: 'completed' });
    expect(asked).toContain('executions/execution-organization');
    expect(described).toEqual([]);
  });

  it('still refuses an execution of another organization, remembered or not', async () => {
    const { db } = fakeDatabase({ 'executions/read-execution-with-steps': executionRow, 'executions/execution-organization': () => ({ rows: [{ organization_id: 'org' }], rowCount: 1 }) });
    const deps: ClientDeps = { temporal: temporal([]), pool: db, taskQueue: 'q', eagerStart: false, memory: new ClientMemory() };
    deps.memory.rememberStart('mine', 'org');
    await expect(waitForEnd(deps, 'intruder', 'mine')).rejects.toBeInstanceOf(NotFoundError);
  });
});

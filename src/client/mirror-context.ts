/**
 * An execution's context at one snapshot, from the mirror alone (Postgres only, so `wf status
 * --context` loads no Temporal client): undefined when the mirror has no such execution of
 * the organization (yet).
 */
import type { ExecutionContextView } from '../store/context-snapshots/context-view';
import { listContextSnapshots } from '../store/context-snapshots/list-context-snapshots';
import { readContextAt } from '../store/context-snapshots/read-context-at';
import { readContextExecution } from '../store/context-snapshots/read-context-execution';
import { selectRetrievalEvents } from '../store/knowledge/select-retrieval-events';
import type { Queryable } from '../store/query';
import type { ExecutionStatus } from '../workflows/graph/types';
import { InvalidRequestError } from './errors';
import { withPostgres } from './postgres-unavailable';

/** `sequence` defaults to the latest; one outside 1..latest is an InvalidRequestError naming the range. */
export function mirrorContext(db: Queryable, organizationId: string, executionId: string, sequence?: number): Promise<ExecutionContextView | undefined> {
  return withPostgres(async () => {
    // The organization check comes first: another organization learns nothing, not even the range.
    const execution = await readContextExecution(db, organizationId, executionId);
    if (!execution) return undefined;
    const snapshots = await listContextSnapshots(db, organizationId, executionId);
    const at = sequenceAt(executionId, sequence, snapshots.length);
    // Sequences run 1..n without gaps, so the n-th in the list has sequence n.
    const snapshot = at > 0 ? snapshots[at - 1] : undefined;
    const nodes = snapshot ? await readContextAt(db, organizationId, executionId, at) : {};
    const input = 'input' in execution ? { input: execution.input } : {};
    const retrievals = await selectRetrievalEvents(db, organizationId, executionId);
    return { executionId, status: execution.status, sequence: at, takenAt: snapshot?.takenAt ?? null, context: { ...input, nodes }, snapshots, retrievals };
  });
}

/** An empty context (sequence 0): for an execution Temporal vouches for before the mirror has its row. */
export function emptyContext(executionId: string, status: ExecutionStatus, sequence?: number): ExecutionContextView {
  sequenceAt(executionId, sequence, 0);
  return { executionId, status, sequence: 0, takenAt: null, context: { nodes: {} }, snapshots: [], retrievals: [] };
}

/** The sequence to show: the latest (0: none yet) unless one is asked for; one without a snapshot is refused, naming the range. */
function sequenceAt(executionId: string, sequence: number | undefined, latest: number): number {
  if (sequence === undefined) return latest;
  if (Number.isInteger(sequence) && sequence >= 1 && sequence <= latest) return sequence;
  const range = latest === 0 ? 'it has no context snapshots yet' : `its snapshots are 1 to ${latest}`;
  throw new InvalidRequestError(`execution "${executionId}" has no context snapshot ${sequence}: ${range}`, [{ path: '$.sequence', message: latest === 0 ? 'no snapshot taken yet' : `must be an integer from 1 to ${latest}` }]);
}

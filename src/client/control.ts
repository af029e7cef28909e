/** Acting on a running execution: signals and cancellation, refused once it has ended. */
import { reservedSignalReason } from '../workflows/contracts/signal-names';
import { TERMINAL_EXECUTION_STATUSES, type Json } from '../workflows/graph/types';
import type { ClientDeps } from './deps';
import { InvalidRequestError } from './errors';
import { executionStatus } from './executions';
import { withTemporal } from './unavailable';

const TERMINAL = new Set<string>(TERMINAL_EXECUTION_STATUSES);

/** Sends signal `name` (a `wait` node's `config.signal`) with its payload to a running execution. */
export async function signalExecution(deps: ClientDeps, organizationId: string, executionId: string, name: string, payload: Json = null): Promise<void> {
  // Refused before anything is looked up: the engine's own signals are never a user's to send.
  const reserved = reservedSignalReason(name);
  if (reserved) throw new InvalidRequestError(reserved, [{ path: '$.name', message: reserved }]);
  const view = await executionStatus(deps, organizationId, executionId);
  if (TERMINAL.has(view.status)) throw new InvalidRequestError(`execution "${executionId}" is ${view.status}; it takes no more signals`, [{ path: '$.executionId', message: `execution is ${view.status}` }]);
  await withTemporal(() => deps.temporal.workflow.getHandle(executionId).signal(name, payload));
}

/** Requests cancellation: running nodes are cancelled and the execution ends `cancelled`. */
export async function cancelExecution(deps: ClientDeps, organizationId: string, executionId: string): Promise<void> {
  const view = await executionStatus(deps, organizationId, executionId); // 404 for another organization's id
  if (TERMINAL.has(view.status)) {
    throw new InvalidRequestError(`execution "${executionId}" is already ${view.status}`, [{ path: '$.executionId', message: `execution is ${view.status}` }]);
  }
  await withTemporal(() => deps.temporal.workflow.getHandle(executionId).cancel());
}

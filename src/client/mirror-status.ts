/** An execution as the mirror shows it, or undefined when the mirror has no row for it (yet). Postgres only. */
import type { Queryable } from '../store/query';
import { readExecution, type ExecutionView } from '../store/executions/read-execution';
import { withPostgres } from './postgres-unavailable';

export function mirrorStatus(db: Queryable, organizationId: string, executionId: string): Promise<ExecutionView | undefined> {
  return withPostgres(() => readExecution(db, organizationId, executionId));
}

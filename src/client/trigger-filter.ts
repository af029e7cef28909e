/**
 * A trigger's `filter`: a CEL condition over `event` ({id, type, payload}), with the engine's
 * CEL environment and cost bounds (src/workflows/graph/expressions.ts). Checked when the
 * trigger is created; evaluated when an event arrives, where an error counts as false.
 */
import { checkExpression, evaluateFilter } from '../workflows/graph/expressions';
import type { Json } from '../workflows/graph/types';
import { InvalidRequestError } from './errors';

/** Throws InvalidRequestError (path `$.filter`) unless `filter` parses, type-checks and can be a bool. */
export function checkTriggerFilter(filter: string): void {
  const problems = checkExpression(filter, 'filter');
  if (problems.length > 0) throw new InvalidRequestError('trigger filter is invalid', problems.map((message) => ({ path: '$.filter', message })));
}

/** Whether the event passes the filter; a reason when it does not (false, or failed to evaluate). */
export function filterVerdict(filter: string | null, event: { id: string; type: string; payload: Json }): { pass: true } | { pass: false; reason: string } {
  if (filter === null) return { pass: true };
  try {
    return evaluateFilter(filter, event, '$.filter') ? { pass: true } : { pass: false, reason: 'filter is false' };
  } catch (error) {
    return { pass: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

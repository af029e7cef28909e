import type { GraphExecutionArgs } from '../workflows/contracts/execution';
import { evaluateExpression } from '../workflows/graph/expressions';
import type { Json } from '../workflows/graph/types';
import { InvalidRequestError } from './errors';

/** The concurrency key of an execution: `settings.concurrency.key` evaluated once, from `execution` and its input. */
export function concurrencyKeyOf(args: GraphExecutionArgs): string {
  const expression = args.graph.settings!.concurrency!.key;
  const execution = { id: args.executionId, input: args.input, organizationId: args.organizationId, graphId: args.graph.id, graphVersion: args.graph.version };
  let value: Json;
  try {
    value = evaluateExpression(expression, { input: args.input, execution, nodes: {} }, '$.settings.concurrency.key');
  } catch (error) {
    throw new InvalidRequestError('the concurrency key could not be evaluated', [{ path: '$.settings.concurrency.key', message: (error as Error).message }]);
  }
  const key = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if (!key || key.length > 200) {
    throw new InvalidRequestError('the concurrency key is invalid', [{ path: '$.settings.concurrency.key', message: `must evaluate to a non-empty string of at most 200 characters, got ${JSON.stringify(value)}` }]);
  }
  return key;
}

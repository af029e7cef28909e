/** Starting executions: validate, store the graph version, start the workflow (and queue for a slot). */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { workflowTaskTimeoutMs } from '../common/workflow-task-timeout';
import { workflowTags } from '../common/workflow-tags';
import { CURRENT_INTERPRETER, type GraphExecutionArgs } from '../workflows/contracts/execution';
import { GRAPH_WORKFLOW, SLOTS_WORKFLOW, slotsWorkflowId } from '../workflows/contracts/names';
import { acquireSlotSignal, type SlotRequest, type SlotsArgs } from '../workflows/contracts/slots';
import { DURATION_RULE, isDuration } from '../workflows/graph/durations';
import { executionStatusOf } from '../store/executions/execution-status';
import type { ExecutionStatus, Json } from '../workflows/graph/types';
import { validateInput } from '../workflows/graph/validate';
import { concurrencyKeyOf } from './concurrency-key';
import type { ClientDeps } from './deps';
import { InvalidRequestError } from './errors';
import { storeGraph } from './graphs';
import { idempotentExecutionId, newExecutionId } from './ids';
import { withPostgres, withTemporal } from './unavailable';

export interface StartOptions {
  organizationId: string;
  /** A graph document (validated and stored), or a reference to a stored one. */
  graph: unknown;
  /** The execution input; `{}` when omitted. */
  input?: Json;
  /** Continue as new after this many history events even before Temporal suggests it (tests, tuning). */
  continueAsNewAtEvents?: number;
  /** The same key (in the same organization) returns the same execution and starts nothing new. */
  idempotencyKey?: string;
  /** Overrides the graph's `settings.deadline`, e.g. "10m". */
  deadline?: string;
}

export interface StartedExecution {
  executionId: string;
  graphId: string;
  graphVersion: number;
  /** Whether the graph version was stored by this call or already there. */
  graphStored: 'created' | 'existing';
  /** `queued` while it waits for a concurrency slot, else `running`; an execution started before (same idempotency key) answers its mirrored status. */
  status: ExecutionStatus;
}

/** Throws InvalidRequestError unless `input` is a valid execution input. */
export function checkInput(input: Json): void {
  const problems = validateInput(input);
  if (problems.length > 0) throw new InvalidRequestError('execution input is invalid', problems);
}

/** Validates, stores the graph version and starts an execution. Nothing starts when anything is invalid. */
export async function startExecution(deps: ClientDeps, options: StartOptions): Promise<StartedExecution> {
  // No input given: an empty object, so expressions like has(input.x) work as expected.
  const input = options.input === undefined ? {} : options.input;
  checkInput(input);
  if (options.deadline !== undefined && !isDuration(options.deadline)) {
    throw new InvalidRequestError('deadline is invalid', [{ path: '$.deadline', message: DURATION_RULE }]);
  }
  const { graph, stored } = await storeGraph(deps.pool, options.organizationId, options.graph, deps.memory);
  const executionId = options.idempotencyKey ? idempotentExecutionId(options.organizationId, graph.id, options.idempotencyKey) : newExecutionId(graph.id);
  const status = await startWorkflow(
    deps,
    {
      executionId,
      organizationId: options.organizationId,
      graph,
      input,
      ...(options.deadline ? { deadline: options.deadline } : {}),
      ...(options.continueAsNewAtEvents ? { continueAsNewAtEvents: options.continueAsNewAtEvents } : {}),
    },
    options.idempotencyKey !== undefined,
  );
  return { executionId, graphId: graph.id, graphVersion: graph.version, graphStored: stored, status };
}

/**
 * Starts the workflow of an execution; its id is the execution id, so a second start of the
 * same id starts nothing. Returns the execution's status as far as it is known now.
 */
export async function startWorkflow(deps: ClientDeps, args: GraphExecutionArgs, idempotent = false): Promise<ExecutionStatus> {
  const { graph } = args;
  const concurrency = graph.settings?.concurrency;
  // The grant token goes in the workflow's arguments and in the ask below, so the grant that
  // answers this (first) ask carries the token the execution checks for.
  if (concurrency) args = { ...args, concurrencyKey: concurrencyKeyOf(args), slotToken: args.slotToken ?? randomUUID() };
  args = { ...args, ...CURRENT_INTERPRETER };
  let startedBefore = false;
  await withTemporal(() =>
    deps.temporal.workflow.start(GRAPH_WORKFLOW, {
      // An idempotency key names its execution for good, even after it ended.
      ...(idempotent ? { workflowIdReusePolicy: 'REJECT_DUPLICATE' as const } : {}),
      taskQueue: deps.taskQueue,
      workflowId: args.executionId,
      workflowTaskTimeout: workflowTaskTimeoutMs(graph.nodes.length),
      ...(deps.eagerStart ? { requestEagerStart: true } : {}),
      args: [args],
      ...workflowTags(args.organizationId, graph),
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    startedBefore = true;
  });
  // This client started it: waiting for it needs no ownership lookup (ClientMemory).
  if (!startedBefore) deps.memory.rememberStart(args.executionId, args.organizationId);
  if (concurrency) {
    // Queue it now, from the caller: slots are granted in the order requests arrive. The
    // execution sends the same (idempotent) request itself, so none is lost if we die here.
    // A start that found the workflow started before does not know its token: no token then.
    const request: SlotRequest = { executionId: args.executionId, max: concurrency.max, requestedAt: new Date().toISOString(), ...(startedBefore ? {} : { token: args.slotToken }) };
    await withTemporal(() =>
      deps.temporal.workflow.signalWithStart(SLOTS_WORKFLOW, {
        workflowId: slotsWorkflowId(args.organizationId, args.concurrencyKey!),
        taskQueue: deps.taskQueue,
        args: [{ organizationId: args.organizationId, key: args.concurrencyKey! } satisfies SlotsArgs],
        signal: acquireSlotSignal,
        signalArgs: [request],
      }),
    );
  }
  // A fresh execution without a slot to wait for runs at once. Otherwise the mirror knows
  // (granted already, or ended); before its first write, one with a slot to wait for is queued.
  if (!concurrency && !startedBefore) return 'running';
  const mirrored = await withPostgres(() => executionStatusOf(deps.pool, args.organizationId, args.executionId));
  return mirrored ?? (concurrency ? 'queued' : 'running');
}

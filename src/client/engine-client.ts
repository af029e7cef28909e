/**
 * The typed client SDK: validate and store graphs, start executions, wait for them, read
 * their status from the mirror, cancel them. The CLI and the HTTP API are built on it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import { searchAttributeKeys, workflowTags } from '../common/workflow-tags';
import { createPool } from '../db/pool';
import { resolveDeadLetterSignal, type DeadLetterResolution } from '../workflows/contracts/dead-letters';
import { type GraphExecutionArgs } from '../workflows/contracts/execution';
import { GRAPH_WORKFLOW, SLOTS_WORKFLOW, slotsWorkflowId, TASK_QUEUE } from '../workflows/contracts/names';
import { acquireSlotSignal, queueStatsQuery, type QueueStats, type SlotRequest, type SlotsArgs } from '../workflows/contracts/slots';
import { evaluateExpression } from '../workflows/graph/expressions';
import { isDuration } from '../workflows/graph/durations';
import { TERMINAL_EXECUTION_STATUSES, type GraphDocument, type Json } from '../workflows/graph/types';
import { validateGraph, validateInput } from '../workflows/graph/validate';
import { asPostgresUnavailable, InvalidRequestError, NotFoundError, UnavailableError } from './errors';
import { listExecutions, type ExecutionPage } from './execution-list';
import { readExecution, type ExecutionView } from './execution-view';
import { loadGraph, storeGraph } from './graphs';
import { deleteTrigger, insertTrigger, recordEvent, selectTriggers, type TriggerView } from './triggers';
import { claimForRetry, completedOutputs, executionOrigin, listDeadLetters, markResolved, readDeadLetter, recordAudit, type DeadLetterFilter, type DeadLetterView } from './dead-letters';

export interface EngineClientOptions {
  temporal: Client;
  pool: Pool;
  taskQueue?: string;
}

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
}

const TERMINAL = new Set<string>(TERMINAL_EXECUTION_STATUSES);

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

/** The execution id an idempotency key names: the same organization and key, the same id. */
export function idempotentExecutionId(organizationId: string, graphId: string, key: string): string {
  return `${graphId}-k${createHash('sha256').update(`${organizationId}\u0000${key}`).digest('hex').slice(0, 24)}`;
}

export function newExecutionId(graphId: string): string {
  // Time first so ids sort by start; random suffix so concurrent starts never collide.
  return `${graphId}-${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

export class EngineClient {
  private readonly taskQueue: string;

  constructor(private readonly options: EngineClientOptions) {
    this.taskQueue = options.taskQueue ?? TASK_QUEUE;
  }

  get pool(): Pool {
    return this.options.pool;
  }

  /** Validates a document; throws InvalidRequestError listing every problem. */
  validate(document: unknown): GraphDocument {
    const result = validateGraph(document);
    if (!result.ok) throw new InvalidRequestError(`graph is invalid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'})`, result.problems);
    return result.graph;
  }

  async storeGraph(organizationId: string, document: unknown): Promise<{ graph: GraphDocument; stored: 'created' | 'existing' }> {
    const graph = this.validate(document);
    const organization = await this.db(() => this.options.pool.query('SELECT 1 FROM organizations WHERE id = $1', [organizationId]));
    if (organization.rowCount === 0) throw new NotFoundError('organization', organizationId);
    const stored = await this.db(() => storeGraph(this.options.pool, organizationId, graph));
    return { graph, stored };
  }

  async loadGraph(organizationId: string, graphId: string, version?: number): Promise<GraphDocument> {
    return this.db(() => loadGraph(this.options.pool, organizationId, graphId, version));
  }

  /** Validates, stores the graph version and starts an execution. Nothing starts when anything is invalid. */
  async start(options: StartOptions): Promise<StartedExecution> {
    // No input given: an empty object, so expressions like has(input.x) work as expected.
    const input = options.input === undefined ? {} : options.input;
    const inputProblems = validateInput(input);
    if (inputProblems.length > 0) throw new InvalidRequestError('execution input is invalid', inputProblems);
    if (options.deadline !== undefined && !isDuration(options.deadline)) {
      throw new InvalidRequestError('deadline is invalid', [{ path: '$.deadline', message: 'must be a duration like "30s", "10m", "2h"' }]);
    }
    const { graph, stored } = await this.storeGraph(options.organizationId, options.graph);
    const executionId = options.idempotencyKey ? idempotentExecutionId(options.organizationId, graph.id, options.idempotencyKey) : newExecutionId(graph.id);
    await this.startWorkflow(
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
    return { executionId, graphId: graph.id, graphVersion: graph.version, graphStored: stored };
  }

  /** Starts the workflow of an execution; its id is the execution id, so a second start of the same id starts nothing. */
  private async startWorkflow(args: GraphExecutionArgs, idempotent = false): Promise<void> {
    const { graph } = args;
    const concurrency = graph.settings?.concurrency;
    if (concurrency) args = { ...args, concurrencyKey: concurrencyKeyOf(args) };
    await this.temporal(() =>
      this.options.temporal.workflow.start(GRAPH_WORKFLOW, {
        // An idempotency key names its execution for good, even after it ended.
        ...(idempotent ? { workflowIdReusePolicy: 'REJECT_DUPLICATE' as const } : {}),
        taskQueue: this.taskQueue,
        workflowId: args.executionId,
        args: [args],
        ...workflowTags(args.organizationId, graph),
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    });
    if (concurrency) {
      // Queue it now, from the caller: slots are granted in the order requests arrive. The
      // execution sends the same (idempotent) request itself, so none is lost if we die here.
      const request: SlotRequest = { executionId: args.executionId, max: concurrency.max, requestedAt: new Date().toISOString() };
      await this.temporal(() =>
        this.options.temporal.workflow.signalWithStart(SLOTS_WORKFLOW, {
          workflowId: slotsWorkflowId(args.organizationId, args.concurrencyKey!),
          taskQueue: this.taskQueue,
          args: [{ organizationId: args.organizationId, key: args.concurrencyKey! } satisfies SlotsArgs],
          signal: acquireSlotSignal,
          signalArgs: [request],
        }),
      );
    }
  }

  /** Slots of a concurrency key: `{ref, maxConcurrent, active, queued, oldestQueuedAt}`. */
  async queueStats(organizationId: string, key: string): Promise<QueueStats> {
    try {
      return await this.options.temporal.workflow.getHandle(slotsWorkflowId(organizationId, key)).query(queueStatsQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { ref: key, maxConcurrent: null, active: 0, queued: 0, oldestQueuedAt: null };
      throw this.asTemporalError(error);
    }
  }

  /** A trigger: events of `eventType` start executions of the graph (latest version unless given). */
  async createTrigger(organizationId: string, eventType: string, graphId: string, graphVersion?: number): Promise<TriggerView> {
    await this.loadGraph(organizationId, graphId, graphVersion); // 404 when the graph is not stored
    return this.db(() => insertTrigger(this.options.pool, organizationId, eventType, graphId, graphVersion));
  }

  async listTriggers(organizationId: string): Promise<TriggerView[]> {
    return this.db(() => selectTriggers(this.options.pool, organizationId));
  }

  async deleteTrigger(organizationId: string, triggerId: string): Promise<void> {
    if (!(await this.db(() => deleteTrigger(this.options.pool, organizationId, triggerId)))) throw new NotFoundError('trigger', triggerId);
  }

  /**
   * A domain event: starts one execution per matching trigger, with the payload as input.
   * Idempotent by event id: each execution's idempotency key is (event, trigger), so a
   * repeated or concurrent delivery starts nothing new and answers the same executions.
   */
  async publishEvent(organizationId: string, event: { id: string; type: string; payload?: Json }): Promise<{ eventId: string; duplicate: boolean; executionIds: string[] }> {
    const payload = event.payload === undefined ? {} : event.payload;
    const triggers = await this.db(() => selectTriggers(this.options.pool, organizationId, event.type));
    const started: string[] = [];
    for (const trigger of triggers) {
      const graph = await this.loadGraph(organizationId, trigger.graphId, trigger.graphVersion ?? undefined);
      const execution = await this.start({ organizationId, graph, input: payload, idempotencyKey: `event:${event.id}:${trigger.triggerId}` });
      started.push(execution.executionId);
    }
    const recorded = await this.db(() => recordEvent(this.options.pool, organizationId, event.id, event.type, payload, started));
    return { eventId: event.id, duplicate: recorded.duplicate, executionIds: recorded.duplicate && recorded.executionIds.length > 0 ? recorded.executionIds : started };
  }

  /** Whether Temporal and PostgreSQL answer, each on its own. */
  async health(): Promise<{ temporal: 'up' | 'down'; postgres: 'up' | 'down' }> {
    const timeout = <T>(work: Promise<T>): Promise<T> => Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
    const [temporal, postgres] = await Promise.allSettled([
      timeout(this.options.temporal.workflowService.getSystemInfo({})),
      timeout(this.options.pool.query('SELECT 1')),
    ]);
    return { temporal: temporal.status === 'fulfilled' ? 'up' : 'down', postgres: postgres.status === 'fulfilled' ? 'up' : 'down' };
  }

  /** Executions of the organization, newest first, paged. */
  async listExecutions(organizationId: string, filter: Parameters<typeof listExecutions>[2] = {}): Promise<ExecutionPage> {
    return this.db(() => listExecutions(this.options.pool, organizationId, filter));
  }

  /** Sends signal `name` (a `wait` node's `config.signal`) with its payload to a running execution. */
  async signal(organizationId: string, executionId: string, name: string, payload: Json = null): Promise<void> {
    const view = await this.status(organizationId, executionId);
    if (TERMINAL.has(view.status)) throw new InvalidRequestError(`execution "${executionId}" is ${view.status}; it takes no more signals`, [{ path: '$.executionId', message: `execution is ${view.status}` }]);
    await this.temporal(() => this.options.temporal.workflow.getHandle(executionId).signal(name, payload));
  }

  /** Open dead letters (and, with includeResolved, the others), newest first. */
  async listDeadLetters(organizationId: string, filter: DeadLetterFilter = {}): Promise<DeadLetterView[]> {
    return this.db(() => listDeadLetters(this.options.pool, organizationId, filter));
  }

  async deadLetter(organizationId: string, id: string): Promise<DeadLetterView> {
    const found = await this.db(() => readDeadLetter(this.options.pool, organizationId, id));
    if (!found) throw new NotFoundError('dead letter', id);
    return found;
  }

  /**
   * Retries a dead letter as a new execution linked to the original (`retryOf`). From the
   * start by default; `resume` reuses the original's completed outputs (those nodes do not
   * run again) and starts at the failed node(s). `input` replaces the execution input.
   */
  async retryDeadLetter(organizationId: string, id: string, options: { resume?: boolean; input?: Json; actor: string }): Promise<StartedExecution> {
    const letter = await this.deadLetter(organizationId, id);
    if (letter.status === 'retried' || letter.status === 'purged') {
      throw new InvalidRequestError(`dead letter "${id}" is already ${letter.status}`, [{ path: '$.id', message: `dead letter is ${letter.status}` }]);
    }
    const origin = await this.db(() => executionOrigin(this.options.pool, organizationId, letter.executionId));
    if (!origin) throw new NotFoundError('execution', letter.executionId);
    const input = options.input === undefined ? origin.input : options.input;
    const inputProblems = validateInput(input);
    if (inputProblems.length > 0) throw new InvalidRequestError('execution input is invalid', inputProblems);
    const graph = await this.loadGraph(organizationId, origin.graphId, origin.graphVersion);
    const seed = options.resume ? await this.db(() => completedOutputs(this.options.pool, organizationId, letter.executionId)) : undefined;
    const executionId = await this.db(() => claimForRetry(this.options.pool, organizationId, id, newExecutionId(graph.id)));
    if (!executionId) throw new InvalidRequestError(`dead letter "${id}" is already resolved`, [{ path: '$.id', message: 'dead letter is resolved' }]);
    await this.startWorkflow({ executionId, organizationId, graph, input, retryOf: letter.executionId, ...(seed ? { seed } : {}) });
    const action = options.resume ? 'resumed' : 'retried';
    await this.db(async () => {
      if (await markResolved(this.options.pool, organizationId, id, 'retried', options.actor)) {
        await recordAudit(this.options.pool, organizationId, id, action, options.actor, { retryExecutionId: executionId, inputReplaced: options.input !== undefined, reused: seed?.map((s) => s.nodeId) ?? [] });
      }
    });
    await this.endDeadLetterWorkflow(id, { action, by: options.actor, retryExecutionId: executionId });
    return { executionId, graphId: graph.id, graphVersion: graph.version, graphStored: 'existing' };
  }

  /** Purges a dead letter: it leaves the list; an audit row keeps who purged it and when. */
  async purgeDeadLetter(organizationId: string, id: string, actor: string): Promise<void> {
    const letter = await this.deadLetter(organizationId, id);
    if (letter.status === 'retried' || letter.status === 'purged') {
      throw new InvalidRequestError(`dead letter "${id}" is already ${letter.status}`, [{ path: '$.id', message: `dead letter is ${letter.status}` }]);
    }
    await this.db(async () => {
      if (await markResolved(this.options.pool, organizationId, id, 'purged', actor)) {
        await recordAudit(this.options.pool, organizationId, id, 'purged', actor, { executionId: letter.executionId, error: letter.error as unknown as Json });
      }
    });
    await this.endDeadLetterWorkflow(id, { action: 'purged', by: actor });
  }

  /** Ends the dead letter's workflow; one already ended (or never started) is fine. */
  private async endDeadLetterWorkflow(id: string, resolution: DeadLetterResolution): Promise<void> {
    try {
      await this.options.temporal.workflow.getHandle(id).signal(resolveDeadLetterSignal, resolution);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw this.asTemporalError(error);
    }
  }

  /** Waits until the execution ends, then returns it as the mirror shows it. */
  async waitForEnd(organizationId: string, executionId: string): Promise<ExecutionView> {
    await this.ensureVisible(organizationId, executionId);
    try {
      await this.options.temporal.workflow.getHandle(executionId).result();
    } catch (error) {
      // A failed, cancelled or timed-out run is an outcome, read from the mirror below.
      if (!(error instanceof WorkflowFailedError)) throw this.asTemporalError(error, executionId);
    }
    return this.status(organizationId, executionId);
  }

  /**
   * Status and steps from the mirror, scoped to the organization. Right after a start the
   * mirror may not have the row yet (one local activity away): Temporal then vouches for it
   * and it is reported running with no steps yet.
   */
  async status(organizationId: string, executionId: string): Promise<ExecutionView> {
    const view = await this.db(() => readExecution(this.options.pool, organizationId, executionId));
    if (view) return view;
    const description = await this.describeOwned(organizationId, executionId);
    return {
      executionId,
      organizationId,
      graphId: description.typedSearchAttributes.get(searchAttributeKeys.graphId) ?? '',
      graphVersion: description.typedSearchAttributes.get(searchAttributeKeys.graphVersion) ?? 0,
      status: 'running',
      output: null,
      error: null,
      startedAt: description.startTime.toISOString(),
      finishedAt: null,
      steps: {},
    };
  }

  /** The mirror row may lag the start by one local activity: fall back to Temporal to tell "not yet" from "no such". */
  private async ensureVisible(organizationId: string, executionId: string): Promise<void> {
    const found = await this.db(() => this.options.pool.query<{ organization_id: string }>('SELECT organization_id FROM executions WHERE id = $1', [executionId]));
    if (found.rows[0]) {
      if (found.rows[0].organization_id !== organizationId) throw new NotFoundError('execution', executionId);
      return;
    }
    await this.describeOwned(organizationId, executionId);
  }

  /** Temporal's description of an execution workflow of this organization; NotFoundError otherwise. */
  private async describeOwned(organizationId: string, executionId: string) {
    let description;
    try {
      description = await this.options.temporal.workflow.getHandle(executionId).describe();
    } catch (error) {
      throw this.asTemporalError(error, executionId);
    }
    if (description.typedSearchAttributes.get(searchAttributeKeys.organizationId) !== organizationId || description.type !== GRAPH_WORKFLOW) {
      throw new NotFoundError('execution', executionId);
    }
    return description;
  }


  /** Requests cancellation: running nodes are cancelled and the execution ends `cancelled`. */
  async cancel(organizationId: string, executionId: string): Promise<void> {
    const view = await this.status(organizationId, executionId); // 404 for another organization's id
    if (TERMINAL.has(view.status)) {
      throw new InvalidRequestError(`execution "${executionId}" is already ${view.status}`, [{ path: '$.executionId', message: `execution is ${view.status}` }]);
    }
    await this.temporal(() => this.options.temporal.workflow.getHandle(executionId).cancel());
  }

  private async db<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw asPostgresUnavailable(error);
    }
  }

  private async temporal<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.asTemporalError(error);
    }
  }

  private asTemporalError(error: unknown, executionId?: string): unknown {
    if (error instanceof NotFoundError) return error;
    if (error instanceof WorkflowNotFoundError && executionId) return new NotFoundError('execution', executionId);
    const message = error instanceof Error ? error.message : String(error);
    if (/UNAVAILABLE|ECONNREFUSED|DEADLINE_EXCEEDED|Failed to connect/i.test(message)) {
      return new UnavailableError('temporal', `Temporal is unreachable (${message.split('\n')[0]})`, { cause: error });
    }
    return error;
  }
}

export interface ConnectOptions {
  temporalAddress: string;
  temporalNamespace: string;
  databaseUrl: string;
  taskQueue?: string;
}

/** Connects to Temporal and Postgres; UnavailableError when either cannot be reached. */
export async function connectEngineClient(options: ConnectOptions): Promise<{ client: EngineClient; close(): Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: options.temporalAddress, connectTimeout: 5000 });
  } catch (error) {
    throw new UnavailableError('temporal', `Temporal is unreachable at ${options.temporalAddress}`, { cause: error });
  }
  const pool = createPool(options.databaseUrl, 4);
  const temporal = new Client({ connection, namespace: options.temporalNamespace });
  return {
    client: new EngineClient({ temporal, pool, taskQueue: options.taskQueue }),
    async close() {
      await connection.close();
      await pool.end();
    },
  };
}

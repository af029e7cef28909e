/**
 * The typed client SDK: validate and store graphs, start executions, wait for them, read
 * their status from the mirror, cancel and signal them, work the dead letters, triggers and
 * queues. The CLI and the HTTP API are built on it. A facade: each method's work lives in
 * the module of its area (start.ts, executions.ts, control.ts, dead-letters.ts, ...).
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { ExecutionContextView } from '../store/context-snapshots/context-view';
import type { DeadLetterView } from '../store/dead-letters/dead-letter-view';
import type { DeadLetterFilter } from '../store/dead-letters/list-dead-letters';
import type { ExecutionFilter, ExecutionPage } from '../store/executions/list-executions';
import type { ExecutionView } from '../store/executions/read-execution';
import type { StepAttemptView } from '../store/executions/list-step-attempts';
import type { TriggerView } from '../store/triggers/trigger-view';
import { TASK_QUEUE } from '../workflows/contracts/names';
import type { QueueStats } from '../workflows/contracts/slots';
import type { GraphDocument, Json } from '../workflows/graph/types';
import { cancelExecution, signalExecution } from './control';
import { deadLetter, deadLetterInput, listDeadLetters, purgeDeadLetter, retryDeadLetter, type RetriedExecution } from './dead-letters';
import { ClientMemory } from './client-memory';
import type { ClientDeps } from './deps';
import { executionContext } from './execution-context';
import { executionStatus, listExecutions, waitForEnd } from './executions';
import { loadGraph, storeGraph, validateDocument } from './graphs';
import { Forms } from './forms';
import { Knowledge } from './knowledge/knowledge';
import { health } from './health';
import { queueStats } from './queue-stats';
import { queuesInUse, type QueueInUse } from './queues';
import { Schedules } from './schedules/schedules';
import { startExecution, type StartedExecution, type StartOptions } from './start';
import { stepAttempts } from './step-attempts';
import { createTrigger, deleteTrigger, listTriggers, publishEvent, type PublishedEvent } from './triggers';

export interface EngineClientOptions {
  temporal: Client;
  pool: Pool;
  taskQueue?: string;
  /**
   * Ask Temporal for eager start (`requestEagerStart`): the server hands the first workflow
   * task straight back to a worker of this process in the start call's answer, saving a
   * round trip through the task queue. Only for a `temporal` Client built on the
   * NativeConnection of a worker polling `taskQueue` (the SDK refuses any other); without
   * a free worker slot the server starts the execution as usual.
   * @default false
   */
  eagerStart?: boolean;
}

export class EngineClient {
  private readonly deps: ClientDeps;
  /** Temporal Schedules that start graph executions (src/client/schedules/). */
  readonly schedules: Schedules;
  /** Forms whose submissions start graph executions (src/client/forms.ts). */
  readonly forms: Forms;
  /** Knowledge corpora: ingest, search, retrievals (src/client/knowledge/). */
  readonly knowledge: Knowledge;

  constructor(options: EngineClientOptions) {
    this.deps = { temporal: options.temporal, pool: options.pool, taskQueue: options.taskQueue ?? TASK_QUEUE, eagerStart: options.eagerStart ?? false, memory: new ClientMemory() };
    this.schedules = new Schedules(this.deps);
    this.forms = new Forms(this.deps);
    this.knowledge = new Knowledge(this.deps);
  }

  get pool(): Pool {
    return this.deps.pool;
  }

  /** The Temporal namespace executions run in (the console links to them in the Web UI). */
  get namespace(): string {
    return this.deps.temporal.options.namespace;
  }

  /** Validates a document; throws InvalidRequestError listing every problem. */
  validate(document: unknown): GraphDocument {
    return validateDocument(document);
  }

  async storeGraph(organizationId: string, document: unknown): Promise<{ graph: GraphDocument; stored: 'created' | 'existing' }> {
    return storeGraph(this.deps.pool, organizationId, document, this.deps.memory);
  }

  async loadGraph(organizationId: string, graphId: string, version?: number): Promise<GraphDocument> {
    return loadGraph(this.deps.pool, organizationId, graphId, version);
  }

  /** Validates, stores the graph version and starts an execution. Nothing starts when anything is invalid. */
  async start(options: StartOptions): Promise<StartedExecution> {
    return startExecution(this.deps, options);
  }

  /** Slots of a concurrency key: `{ref, maxConcurrent, active, queued, oldestQueuedAt}`. */
  async queueStats(organizationId: string, key: string): Promise<QueueStats> {
    return queueStats(this.deps, organizationId, key);
  }

  /** The concurrency keys with executions running or queued, as the mirror counts them. */
  async queuesInUse(organizationId: string): Promise<QueueInUse[]> {
    return queuesInUse(this.deps, organizationId);
  }

  /** A trigger: events of `eventType` (passing the CEL `filter`, when given) start executions of the graph (latest version unless given). */
  async createTrigger(organizationId: string, eventType: string, graphId: string, graphVersion?: number, filter?: string): Promise<TriggerView> {
    return createTrigger(this.deps, organizationId, eventType, graphId, graphVersion, filter);
  }

  async listTriggers(organizationId: string): Promise<TriggerView[]> {
    return listTriggers(this.deps, organizationId);
  }

  async deleteTrigger(organizationId: string, triggerId: string): Promise<void> {
    return deleteTrigger(this.deps, organizationId, triggerId);
  }

  /** A domain event: starts one execution per matching trigger whose filter holds; idempotent by event id. */
  async publishEvent(organizationId: string, event: { id: string; type: string; payload?: Json }): Promise<PublishedEvent> {
    return publishEvent(this.deps, organizationId, event);
  }

  /** Whether Temporal and PostgreSQL answer, each on its own. */
  async health(): Promise<{ temporal: 'up' | 'down'; postgres: 'up' | 'down' }> {
    return health(this.deps);
  }

  /** Executions of the organization, newest first, paged. */
  async listExecutions(organizationId: string, filter: ExecutionFilter = {}): Promise<ExecutionPage> {
    return listExecutions(this.deps, organizationId, filter);
  }

  /** Sends signal `name` (a `wait` node's `config.signal`) with its payload to a running execution. */
  async signal(organizationId: string, executionId: string, name: string, payload: Json = null): Promise<void> {
    return signalExecution(this.deps, organizationId, executionId, name, payload);
  }

  /** Open dead letters (and, with includeResolved, the others), newest first. */
  async listDeadLetters(organizationId: string, filter: DeadLetterFilter = {}): Promise<DeadLetterView[]> {
    return listDeadLetters(this.deps, organizationId, filter);
  }

  async deadLetter(organizationId: string, id: string): Promise<DeadLetterView> {
    return deadLetter(this.deps, organizationId, id);
  }

  /** The input of a dead letter's failed execution (what a retry starts from unless replaced). */
  async deadLetterInput(organizationId: string, id: string): Promise<Json> {
    return deadLetterInput(this.deps, organizationId, id);
  }

  /** Retries a dead letter as a new execution linked to the original; `resume` reuses completed outputs. */
  async retryDeadLetter(organizationId: string, id: string, options: { resume?: boolean; input?: Json; actor: string }): Promise<RetriedExecution> {
    return retryDeadLetter(this.deps, organizationId, id, options);
  }

  /** Purges a dead letter: it leaves the list; an audit row keeps who purged it and when. */
  async purgeDeadLetter(organizationId: string, id: string, actor: string): Promise<void> {
    return purgeDeadLetter(this.deps, organizationId, id, actor);
  }

  /** Waits until the execution ends, then returns it as the mirror shows it. */
  async waitForEnd(organizationId: string, executionId: string): Promise<ExecutionView> {
    return waitForEnd(this.deps, organizationId, executionId);
  }

  /** Status and steps from the mirror, scoped to the organization (running with no steps right after a start). */
  async status(organizationId: string, executionId: string): Promise<ExecutionView> {
    return executionStatus(this.deps, organizationId, executionId);
  }

  /** The attempts of one step (runs, then compensations), errors as stored: sanitized. */
  async stepAttempts(organizationId: string, executionId: string, nodeId: string): Promise<StepAttemptView[]> {
    return stepAttempts(this.deps, organizationId, executionId, nodeId);
  }

  /**
   * The execution's context at snapshot `sequence` (default the latest: sequence 0 before any)
   * and the list of its snapshots (DESIGN §12). Outputs stay as stored: large ones are references.
   */
  async context(organizationId: string, executionId: string, sequence?: number): Promise<ExecutionContextView> {
    return executionContext(this.deps, organizationId, executionId, sequence);
  }

  /** Requests cancellation: running nodes are cancelled and the execution ends `cancelled`. */
  async cancel(organizationId: string, executionId: string): Promise<void> {
    return cancelExecution(this.deps, organizationId, executionId);
  }
}

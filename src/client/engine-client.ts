/**
 * The typed client SDK: validate and store graphs, start executions, wait for them, read
 * their status from the mirror, cancel them. The CLI and the HTTP API are built on it.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import { searchAttributeKeys } from '../common/search-attributes';
import { createPool } from '../db/pool';
import { GRAPH_WORKFLOW, TASK_QUEUE, type GraphExecutionArgs } from '../workflows/contracts';
import type { GraphDocument, Json } from '../workflows/graph/types';
import { validateGraph, validateInput } from '../workflows/graph/validate';
import { asPostgresUnavailable, InvalidRequestError, NotFoundError, UnavailableError } from './errors';
import { readExecution, type ExecutionView } from './execution-view';
import { loadGraph, storeGraph } from './graphs';

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
}

export interface StartedExecution {
  executionId: string;
  graphId: string;
  graphVersion: number;
  /** Whether the graph version was stored by this call or already there. */
  graphStored: 'created' | 'existing';
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'timed_out']);

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
    const { graph, stored } = await this.storeGraph(options.organizationId, options.graph);
    const executionId = newExecutionId(graph.id);
    const args: GraphExecutionArgs = { executionId, organizationId: options.organizationId, graph, input, ...(options.continueAsNewAtEvents ? { continueAsNewAtEvents: options.continueAsNewAtEvents } : {}) };
    await this.temporal(() =>
      this.options.temporal.workflow.start(GRAPH_WORKFLOW, {
        taskQueue: this.taskQueue,
        workflowId: executionId,
        args: [args],
        staticSummary: `${graph.id} v${graph.version}${graph.name ? `: ${graph.name}` : ''}`,
        typedSearchAttributes: [
          { key: searchAttributeKeys.organizationId, value: options.organizationId },
          { key: searchAttributeKeys.graphId, value: graph.id },
          { key: searchAttributeKeys.graphVersion, value: graph.version },
        ],
      }),
    );
    return { executionId, graphId: graph.id, graphVersion: graph.version, graphStored: stored };
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

  /** Status and steps from the mirror, scoped to the organization. */
  async status(organizationId: string, executionId: string): Promise<ExecutionView> {
    const view = await this.db(() => readExecution(this.options.pool, organizationId, executionId));
    if (!view) throw new NotFoundError('execution', executionId);
    return view;
  }

  /** The mirror row may lag the start by one local activity: fall back to Temporal to tell "not yet" from "no such". */
  private async ensureVisible(organizationId: string, executionId: string): Promise<void> {
    const found = await this.db(() => this.options.pool.query<{ organization_id: string }>('SELECT organization_id FROM executions WHERE id = $1', [executionId]));
    if (found.rows[0]) {
      if (found.rows[0].organization_id !== organizationId) throw new NotFoundError('execution', executionId);
      return;
    }
    try {
      const description = await this.options.temporal.workflow.getHandle(executionId).describe();
      const org = description.typedSearchAttributes.get(searchAttributeKeys.organizationId);
      if (org !== organizationId) throw new NotFoundError('execution', executionId);
    } catch (error) {
      throw this.asTemporalError(error, executionId);
    }
  }

  async isTerminal(organizationId: string, executionId: string): Promise<boolean> {
    return TERMINAL.has((await this.status(organizationId, executionId)).status);
  }

  /** Requests cancellation: running nodes are cancelled and the execution ends `cancelled`. */
  async cancel(organizationId: string, executionId: string): Promise<void> {
    await this.status(organizationId, executionId); // 404 for another organization's id
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

/**
 * Response schemas (zod): what the OpenAPI document shows for every route, success and error,
 * and what replies are serialized with. Objects are loose (fields beyond those named pass
 * through, nothing a route returns is dropped) and open-ended values (outputs, inputs, error
 * details) are `unknown`, so the documented shape can never refuse a real answer.
 */
import { z } from 'zod';
import { retrievalEventView } from './knowledge-schemas';
import { ROLES } from '../common/keys';
import { EXECUTION_STATUSES } from '../workflows/graph/types';
import { apiSchemas } from './schema-registry';

/**
 * An object that lets fields beyond `shape` through (in the document and when serializing),
 * typed as the plain object so that TypeScript checks every handler's answer against the
 * named fields (a loose object's type has an index signature that interfaces do not match).
 */
const extensible = <Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape> => z.looseObject(shape) as unknown as z.ZodObject<Shape>;

const timestamp = z.string().describe('ISO 8601 timestamp');
const count = z.number().int().min(0);
const graphVersion = z.number().int().positive();
const problem = extensible({ path: z.string().describe('JSON path, e.g. $.body.nodes[0].id'), message: z.string() });

/** Every 4xx and 5xx answer. */
export const errorBody = extensible({ error: extensible({ type: z.string(), message: z.string(), problems: z.array(problem).optional() }) });
apiSchemas.add(errorBody, { id: 'Error', description: 'an error: a type, a message, and for invalid requests the problems, each with its JSON path' });

/** A route's documented answers: its successes, and the error body for every 4xx and 5xx. */
export function answers<T extends Record<number, unknown>>(successes: T): T & { '4xx': typeof errorBody; '5xx': typeof errorBody } {
  return { ...successes, '4xx': errorBody, '5xx': errorBody };
}

export const noContent = z.undefined().describe('done, no body');

export const graphDocument = extensible({
  id: z.string(),
  version: graphVersion,
  nodes: z.array(extensible({ id: z.string(), type: z.string() })),
  edges: z.array(extensible({ from: z.string(), to: z.string() })).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
export const graphStored = extensible({ graphId: z.string(), version: graphVersion, stored: z.enum(['created', 'existing']) });
export const graphValidation = extensible({ valid: z.boolean(), problems: z.array(problem) });

const executionStatus = z.enum(EXECUTION_STATUSES);
export const executionStarted = extensible({ executionId: z.string(), status: executionStatus.describe('queued while it waits for a concurrency slot'), url: z.string() });
const stepView = extensible({ status: z.string(), attempts: count, startedAt: timestamp.nullable(), finishedAt: timestamp.nullable(), error: z.unknown().optional(), reused: z.boolean().optional(), local: z.boolean().optional(), progress: z.object({ total: count, completed: count, failed: count }).optional().describe('a map step: its items in all, completed and failed so far') });
export const executionView = extensible({
  executionId: z.string(),
  organizationId: z.string(),
  graphId: z.string(),
  graphVersion: z.number().int(),
  status: executionStatus,
  output: z.unknown(),
  error: z.unknown(),
  retryOf: z.string().optional(),
  scheduleId: z.string().optional().describe('the schedule that started it'),
  parentExecutionId: z.string().optional().describe("a subgraph's child: the execution whose subgraph node started it"),
  children: z
    .array(extensible({ nodeId: z.string(), executionId: z.string(), graphId: z.string(), graphVersion: z.number().int(), status: executionStatus }))
    .optional()
    .describe('the child executions its subgraph nodes started'),
  queuedAt: timestamp.optional(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  steps: z.record(z.string(), stepView),
});
const executionSummary = extensible({
  executionId: z.string(),
  graphId: z.string(),
  graphVersion: z.number().int(),
  status: executionStatus,
  retryOf: z.string().nullable(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
});
export const executionPage = extensible({ executions: z.array(executionSummary), nextCursor: z.string().nullable().describe("pass as ?cursor= for the next page; null on the last") });
const contextNode = extensible({
  status: z.string(),
  nodeType: z.string(),
  output: z.unknown().optional().describe('as the step stores it: a large output stays a {"$payload": id, "bytes": n} reference'),
  error: z.unknown().optional(),
});
export const executionContext = extensible({
  executionId: z.string(),
  status: executionStatus.describe('the execution now: more snapshots come while it runs'),
  sequence: count.describe('the snapshot shown; 0 before the first is taken'),
  takenAt: timestamp.nullable(),
  context: extensible({ input: z.unknown().optional(), nodes: z.record(z.string(), contextNode) }).describe('the nodes decided up to that snapshot, each as last decided'),
  snapshots: z.array(extensible({ sequence: z.number().int().positive(), takenAt: timestamp, nodeIds: z.array(z.string()).describe('the nodes its batch decided') })).describe('every snapshot so far, in order'),
  retrievals: z.array(retrievalEventView).describe("its knowledge.retrieve nodes' retrievals, one per attempt, in order"),
});
export const cancelAccepted = extensible({ executionId: z.string(), cancelRequested: z.boolean() });
export const signalAccepted = extensible({ executionId: z.string(), signal: z.string() });
export const eventStream = {
  description: 'server-sent events: `step`, then `execution` when it ends; `timeout` (with `retry:`) when the stream reached its maximum duration: reconnect',
  content: { 'text/event-stream': { schema: z.string() } },
};

export const deadLetter = extensible({
  id: z.string(),
  executionId: z.string(),
  graphId: z.string(),
  graphVersion: z.number().int(),
  failedNodes: z.array(z.string()),
  error: z.unknown(),
  createdAt: timestamp,
  status: z.enum(['open', 'retrying', 'retried', 'purged']),
  retryExecutionId: z.string().nullable(),
  resolvedAt: timestamp.nullable(),
  resolvedBy: z.string().nullable(),
});

/** One dead letter as GET /api/v1/dlq/:id answers: with the failed execution's input, for a resume with edited input. */
export const deadLetterDetail = extensible({ ...deadLetter.shape, input: z.unknown().describe("the failed execution's input: what a retry starts from unless the retry gives another") });

const role = z.enum(ROLES);
export const identity = extensible({ organizationId: z.string(), keyId: z.string(), role });
export const consoleConfig = extensible({
  temporalNamespace: z.string().describe('the namespace executions run in'),
  temporalUiUrl: z.string().describe('the Temporal Web UI (WF_TEMPORAL_UI_URL): an execution is at <url>/namespaces/<namespace>/workflows/<executionId>'),
});
export const createdKey = extensible({ organizationId: z.string(), keyId: z.string(), apiKey: z.string().describe('shown once'), role, name: z.string().nullable() });
export const keyView = extensible({ keyId: z.string(), name: z.string().nullable(), role, createdAt: timestamp, revokedAt: timestamp.nullable() });

export const queueInUse = extensible({ ref: z.string(), running: count.describe('executions holding a slot'), queued: count.describe('executions waiting for one') });
export const stepAttempt = extensible({
  attempt: z.number().int().positive(),
  kind: z.enum(['run', 'compensate']),
  status: z.enum(['running', 'completed', 'failed', 'cancelled']),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  error: z.unknown().describe('the stored error (type, message), sanitized: never a stack trace'),
});
export const queueStats = extensible({ ref: z.string(), maxConcurrent: z.number().int().nullable(), active: count, queued: count, oldestQueuedAt: timestamp.nullable() });

export const eventAccepted = extensible({
  eventId: z.string(),
  duplicate: z.boolean(),
  executionIds: z.array(z.string()),
  skipped: z.array(extensible({ triggerId: z.string(), reason: z.string() })).describe('triggers of the type whose filter was false or failed'),
});
export const trigger = extensible({ triggerId: z.string(), eventType: z.string(), graphId: z.string(), graphVersion: z.number().int().nullable(), filter: z.string().nullable().describe('CEL over event'), createdAt: timestamp });

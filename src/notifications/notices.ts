/**
 * The outbox rows' payloads, one builder per fact. Ids and types only (DESIGN §10): never an
 * execution's input or output, a node's output or any secret. Error messages are sanitized
 * and carry the node's id and error type, not its message (which may quote its data).
 */
import { sanitizeMessage } from '../common/sanitize';
import type { DeadLetterRecord, ExecutionUpdate } from '../workflows/contracts/mirror';
import type { ExecutionError } from '../workflows/graph/failures';
import type { Json } from '../workflows/graph/types';
import type { EngineEvent } from './events';

export interface Notice {
  organizationId: string;
  event: EngineEvent;
  /** What the notification reports, unique per event type: the notification id derives from it. */
  factId: string;
  payload: Json;
}

function errorSummary(error: ExecutionError | null | undefined): Json {
  if (!error) return null;
  const { node } = error;
  // A node's message may quote what it worked on (a response body, an input value): the
  // receiver gets the node's id and error type instead; the engine's own messages are kept.
  if (node) return { type: error.type, message: `node "${node.nodeId}" failed with ${node.type} after ${node.attempts} attempt(s)`, node: { nodeId: node.nodeId, type: node.type, attempts: node.attempts } };
  return { type: error.type, message: sanitizeMessage(error.message) };
}

/** execution.failed or execution.timed_out, when the mirror writes that final status; undefined for any other status. */
export function executionEndedNotice(executionId: string, organizationId: string, update: ExecutionUpdate): Notice | undefined {
  if (update.status !== 'failed' && update.status !== 'timed_out') return undefined;
  const event = update.status === 'failed' ? 'execution.failed' : 'execution.timed_out';
  return {
    organizationId,
    event,
    factId: executionId,
    payload: { executionId, graphId: update.graphId, graphVersion: update.graphVersion, status: update.status, finishedAt: update.finishedAt ?? null, error: errorSummary(update.error) },
  };
}

export function deadLetterCreatedNotice(executionId: string, organizationId: string, execution: ExecutionUpdate, record: DeadLetterRecord): Notice {
  return {
    organizationId,
    event: 'dead_letter.created',
    factId: record.id,
    payload: { deadLetterId: record.id, executionId, graphId: execution.graphId, graphVersion: execution.graphVersion, failedNodes: record.failedNodes, error: errorSummary(record.error) },
  };
}

export function deadLetterResolvedNotice(
  organizationId: string,
  letter: { id: string; executionId: string; graphId: string; graphVersion: number },
  resolution: { status: 'retried' | 'purged'; retryExecutionId?: string },
): Notice {
  return {
    organizationId,
    event: 'dead_letter.resolved',
    factId: letter.id,
    payload: {
      deadLetterId: letter.id,
      executionId: letter.executionId,
      graphId: letter.graphId,
      graphVersion: letter.graphVersion,
      resolution: resolution.status,
      ...(resolution.retryExecutionId ? { retryExecutionId: resolution.retryExecutionId } : {}),
    },
  };
}

/**
 * Wraps a node type's work as its activity: records the attempt in the mirror around the
 * work (inside the node's own activity, so bookkeeping costs no Temporal events) and turns
 * errors into sanitized ApplicationFailures that carry the attempt number.
 *
 * A mirror write that fails never fails the node: the work is not redone for bookkeeping.
 * The result says `mirrored: false` and the workflow writes the step itself.
 */
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { sanitizeError } from '../common/sanitize';
import type { NodeActivityInput, NodeActivityResult, NodeFailureDetails } from '../workflows/contracts/node-activity';
import type { Json } from '../workflows/graph/types';
import type { ActivityDeps } from './deps';
import { writeCarriedSteps } from './mirror/carried';
import { SecretScope } from './secret-scope';
import type { AttemptKey } from '../store/mirror/attempt-key';
import { recordAttemptCompleted } from '../store/mirror/record-attempt-completed';
import { recordAttemptFailed } from '../store/mirror/record-attempt-failed';
import { recordAttemptStarted } from '../store/mirror/record-attempt-started';
import { startAttemptWithCarriedSteps } from '../store/mirror/start-attempt-with-carried-steps';
import { recordCompensationAttempt } from '../store/mirror/record-compensation-attempt';
import { insertPayload } from '../store/payloads/insert-payload';
import { PayloadNotFoundError, resolvePayloads } from '../payload-refs/resolve';
import { DEFAULT_INLINE_OUTPUT_BYTES, spillLargeOutput } from '../payload-refs/spill';

/**
 * A node type's work; `Config` is its rendered config (from the type's schema). `secrets`
 * resolves the config's secret references; whatever the work returns or throws is redacted
 * with it afterwards. `deps` is the worker's (the http node's egress rules, the pool and cipher for notify).
 */
export type NodeWork<Config = Json> = (input: NodeActivityInput & { config: Config }, context: Context, secrets: SecretScope, deps: ActivityDeps) => Promise<Json>;

interface AttemptRecorder {
  /** Records the attempt's start; true when the step updates carried in `input.mirror` were written with it. */
  started(): Promise<boolean>;
  /** False when the step row was not written (the workflow must write it). */
  completed(output: Json): Promise<boolean>;
  failed(error: { type: string; message: string }, cancelled: boolean): Promise<void>;
}

function recorderFor(deps: ActivityDeps, input: NodeActivityInput, key: AttemptKey): AttemptRecorder {
  if (input.phase === 'compensate') {
    return {
      started: async () => {
        await recordCompensationAttempt(deps.pool, key, 'running');
        return false;
      },
      completed: async () => {
        await recordCompensationAttempt(deps.pool, key, 'completed');
        return true;
      },
      failed: (error, cancelled) => recordCompensationAttempt(deps.pool, key, cancelled ? 'cancelled' : 'failed', error),
    };
  }
  return {
    async started() {
      // What the workflow decided since its last batch rides along with this activity: written
      // with the attempt in one statement, unless it touches this node too (then first, apart).
      const carried = input.mirror ?? [];
      if (carried.length > 0 && !carried.some((step) => step.nodeId === key.nodeId)) {
        await startAttemptWithCarriedSteps(deps.pool, key, carried);
        return true;
      }
      if (carried.length > 0) await writeCarriedSteps(deps.pool, input.executionId, input.organizationId, carried);
      await recordAttemptStarted(deps.pool, key);
      return carried.length > 0;
    },
    completed: (output) => recordAttemptCompleted(deps.pool, key, output),
    failed: (error, cancelled) => recordAttemptFailed(deps.pool, key, error, cancelled ? 'cancelled' : 'failed'),
  };
}

export function nodeActivity<Config>(deps: ActivityDeps, work: NodeWork<Config>): (input: NodeActivityInput) => Promise<NodeActivityResult> {
  return async (input) => {
    const context = Context.current();
    const attempt = context.info.attempt;
    const key: AttemptKey = { executionId: input.executionId, organizationId: input.organizationId, nodeId: input.nodeId, nodeType: input.nodeType, attempt };
    const recorder = recorderFor(deps, input, key);
    let carriedWritten = false;
    let mirrored = await tryMirror(deps, key, async () => {
      carriedWritten = await recorder.started();
    });

    const secrets = new SecretScope(input.organizationId, deps.secrets);
    let output: Json;
    try {
      // Large values travel as references (DESIGN §11): the work sees them resolved, and what
      // it returns goes back as references where it is too large to carry inline.
      const resolved = await withPayloadsResolved(deps, input);
      // The workflow checked the config against the type's rendered schema before scheduling.
      const full = secrets.redact(await work(resolved as NodeActivityInput & { config: Config }, context, secrets, deps));
      output = await spillLargeOutput(full, deps.inlineOutputBytes ?? DEFAULT_INLINE_OUTPUT_BYTES, (value, bytes) => insertPayload(deps.pool, key, value, bytes));
    } catch (error) {
      const cancelled = error instanceof CancelledFailure;
      const sanitized = sanitizeError(error);
      const clean = { type: secrets.redactText(sanitized.type), message: secrets.redactText(sanitized.message) };
      await tryMirror(deps, key, () => recorder.failed(clean, cancelled));
      if (cancelled) throw error;
      const details: NodeFailureDetails = { attempt };
      // A missing payload stays missing: trying again cannot help.
      const nonRetryable = error instanceof ApplicationFailure ? (error.nonRetryable ?? false) : error instanceof PayloadNotFoundError;
      // A type that knows when to try again (an http 429's Retry-After) says so with nextRetryDelay.
      const nextRetryDelay = error instanceof ApplicationFailure ? error.nextRetryDelay : undefined;
      throw ApplicationFailure.create({ type: clean.type, message: clean.message, nonRetryable, details: [details], ...(nextRetryDelay !== undefined ? { nextRetryDelay } : {}) });
    }
    let stepWritten = false;
    const wrote = await tryMirror(deps, key, async () => {
      stepWritten = await recorder.completed(output);
    });
    mirrored = wrote && stepWritten && mirrored;
    // The workflow sends again at the end only what no attempt of this activity confirmed.
    return { output, attempt, mirrored, ...(carriedWritten ? { carriedWritten: true } : {}) };
  };
}

async function withPayloadsResolved(deps: ActivityDeps, input: NodeActivityInput): Promise<NodeActivityInput> {
  const [resolvedInput, resolvedConfig] = await Promise.all([resolvePayloads(deps.pool, input.organizationId, input.input), resolvePayloads(deps.pool, input.organizationId, input.config)]);
  return resolvedInput === input.input && resolvedConfig === input.config ? input : { ...input, input: resolvedInput, config: resolvedConfig };
}

async function tryMirror(deps: ActivityDeps, key: AttemptKey, write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    deps.logger.warn({ executionId: key.executionId, nodeId: key.nodeId, attempt: key.attempt, error: sanitizeError(error) }, 'mirror write failed; the workflow will write the step');
    return false;
  }
}

/**
 * The `mock` node's activity: waits `delayMs` (heartbeating, so cancellation reaches it),
 * then fails or returns its (already rendered) output.
 */
import { ApplicationFailure, type Context } from '@temporalio/activity';
import type { MockConfig } from '../../workflows/graph/node-types/mock';
import type { NodeWork } from '../node-activity';
import type { Json } from '../../workflows/graph/types';

const HEARTBEAT_EVERY_MS = 1000;

export const runMock: NodeWork<MockConfig> = async (input, context) => {
  const config = input.config ?? {};
  await waitHeartbeating(context, config.delayMs ?? 0);
  const attempt = context.info.attempt;
  if (config.fail) {
    throw ApplicationFailure.create({
      type: config.fail.type ?? 'MockFailure',
      message: config.fail.message ?? `mock node "${input.nodeId}" failed as configured`,
      nonRetryable: config.fail.nonRetryable ?? false,
    });
  }
  if (config.failAttempts && attempt <= config.failAttempts) {
    throw ApplicationFailure.retryable(`mock node "${input.nodeId}" failed attempt ${attempt} of the first ${config.failAttempts} as configured`, 'MockFailure');
  }
  if (config.heartbeat && !context.info.isLocal) context.heartbeat({ attempt });
  const output = config.output === undefined ? input.input : (config.output as Json);
  return config.outputBytes === undefined ? output : withFiller(output, config.outputBytes);
};

/** The output with a `filler` of `bytes` characters; a value that is not an object goes under `value`. */
function withFiller(output: Json, bytes: number): Json {
  const filler = 'x'.repeat(bytes);
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) return { ...output, filler };
  return { value: output, filler };
}

async function waitHeartbeating(context: Context, ms: number): Promise<void> {
  let left = ms;
  while (left > 0) {
    const step = Math.min(left, HEARTBEAT_EVERY_MS);
    // context.sleep rejects with CancelledFailure once a heartbeat has delivered a cancel.
    await context.sleep(step);
    left -= step;
    // A local activity (a `"local": true` node) cannot heartbeat; its cancellation arrives without one.
    if (!context.info.isLocal) context.heartbeat();
  }
}

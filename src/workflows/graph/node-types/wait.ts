import { z } from 'zod';
import { reservedSignalReason } from '../../contracts/signal-names';
import { durationString, withSchemas, type SignalNodeType } from './common';

/** Names a signal may have (a `wait` node's `config.signal`, `wf signal ID NAME`). */
export const SIGNAL_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
export const signalName = z.string().regex(SIGNAL_NAME_PATTERN, { message: 'signal name: letters, digits, _ . - (start with a letter or _)' });

/** A name a `wait` node may await: not one the engine or Temporal keeps for itself. */
const awaitableSignalName = () =>
  signalName.superRefine((name, context) => {
    const reserved = reservedSignalReason(name);
    if (reserved) context.addIssue({ code: 'custom', message: reserved });
  });

/**
 * `wait`: waits for the signal `config.signal` (e.g. a human approval) and outputs its
 * payload; fails with `WaitTimeout` after `config.timeout`, if given. A signal sent before
 * the node starts waits for it.
 */
const waitConfig = () => z.strictObject({ signal: awaitableSignalName(), timeout: durationString.optional() });
type WaitConfig = z.infer<ReturnType<typeof waitConfig>>;

export const wait = withSchemas('wait', { runtime: 'signal', awaits: (rendered: WaitConfig) => rendered }, () => {
  const config = waitConfig();
  return { config, rendered: config };
}) satisfies SignalNodeType<WaitConfig>;

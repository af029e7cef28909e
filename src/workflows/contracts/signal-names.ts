/**
 * Signal names that belong to the engine, not to users: the one list the API, the CLI (through
 * the client SDK) and graph validation refuse. A user could otherwise send what the engine
 * sends itself (a forged `slotGranted` once started a queued execution without a slot) or a
 * name Temporal keeps for itself. No Temporal import here: validation and the CLI load it.
 */

/** From an execution's slots workflow to the execution: its concurrency slot is granted. */
export const SLOT_GRANTED_SIGNAL = 'slotGranted';

/** Temporal's SDKs keep names with this prefix for their own handlers. */
export const TEMPORAL_RESERVED_PREFIX = '__temporal_';

/** Signals the engine itself sends to a graph execution's workflow. */
export const ENGINE_EXECUTION_SIGNALS: readonly string[] = [SLOT_GRANTED_SIGNAL];

/** Why `name` may not be sent to (or awaited by) an execution by a user; undefined when it may. */
export function reservedSignalReason(name: string): string | undefined {
  if (ENGINE_EXECUTION_SIGNALS.includes(name)) return `signal "${name}" is reserved: the engine sends it itself`;
  if (name.startsWith(TEMPORAL_RESERVED_PREFIX)) return `signal "${name}" is reserved: Temporal keeps names starting with "${TEMPORAL_RESERVED_PREFIX}"`;
  return undefined;
}

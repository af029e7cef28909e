/**
 * Signal handlers that never fail a workflow task, whatever arrives. Anyone with access to the
 * namespace can signal a workflow (`temporal workflow signal`, a raw client), and the SDK
 * decodes a signal's payloads before it calls the handler: a payload it cannot decode (an
 * unknown encoding, broken JSON) throws there, and so does a handler reading a field of a
 * null. Either fails the workflow task, again on every retry, and the workflow stops moving.
 * These handlers take the payloads raw, decode the first one themselves, check its shape, and
 * log and drop what does not pass.
 */
import { defaultPayloadConverter, rawValueTypeInfo, type RawValue, type TypeInfo } from '@temporalio/common';
import { defineSignal, log, setHandler } from '@temporalio/workflow';

/**
 * Type info that keeps every argument raw, however many a sender attaches: the SDK looks the
 * type of argument i up as `inputTypes[i]`, and any argument it decodes itself could throw.
 */
const EVERY_ARGUMENT_RAW = new Proxy<TypeInfo[]>([], {
  get: (target, key) => (typeof key === 'string' && /^\d+$/.test(key) ? rawValueTypeInfo : Reflect.get(target, key)),
});

type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * The first argument, decoded as the worker would have (the engine uses the default payload
 * converter; codecs run outside the workflow, before this). A missing argument is undefined.
 */
function decodeFirst(args: readonly unknown[]): Decoded {
  const raw = args[0] as RawValue | undefined;
  if (raw === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: defaultPayloadConverter.fromPayload(raw.payload) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Sets the handler of signal `name`: `handle` gets the first argument once it decoded and
 * `accepts` said yes; anything else is logged (with `context`) and dropped.
 */
export function setCheckedSignalHandler<T>(name: string, accepts: (payload: unknown) => payload is T, handle: (payload: T) => void, context: Record<string, unknown> = {}): void {
  const definition = defineSignal<unknown[]>(name, { typeInfo: { inputTypes: EVERY_ARGUMENT_RAW } });
  setHandler(definition, (...args: unknown[]) => {
    const decoded = decodeFirst(args);
    if (!decoded.ok) {
      log.warn(`dropped a "${name}" signal: its payload cannot be decoded`, { ...context, error: decoded.error });
      return;
    }
    if (!accepts(decoded.value)) {
      log.warn(`dropped a "${name}" signal: its payload is malformed`, { ...context, payloadType: decoded.value === null ? 'null' : typeof decoded.value });
      return;
    }
    handle(decoded.value);
  });
}

/** A plain object (not null, not an array, not bytes). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A UTC timestamp as `Date.toISOString` writes it (what the mirror stores as timestamptz). */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

import { AlreadyExistsError, GraphVersionConflictError, InvalidRequestError, NotFoundError, TemporalTlsError, UnavailableError } from '../client/errors';
import { sanitizeMessage } from '../common/sanitize';
import { EXIT } from './exit-codes';

/** A problem to show the user, with the exit code it means. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
    readonly lines: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The one place errors become what the user sees: a message and an exit code, never a stack. */
export function describeError(error: unknown): { lines: string[]; exitCode: number } {
  if (error instanceof CliError) return { lines: [`wf: ${error.message}`, ...error.lines], exitCode: error.exitCode };
  if (error instanceof InvalidRequestError) {
    return { lines: [`wf: ${error.message}:`, ...error.problems.map((p) => `  ${p.path}: ${p.message}`)], exitCode: EXIT.invalid };
  }
  if (error instanceof GraphVersionConflictError || error instanceof AlreadyExistsError || error instanceof NotFoundError) return { lines: [`wf: ${error.message}`], exitCode: EXIT.invalid };
  // Its message already names the TEMPORAL_TLS_* settings to check; "is the stack running" would mislead.
  if (error instanceof TemporalTlsError) return { lines: [`wf: ${sanitizeMessage(error.message)}`], exitCode: EXIT.unavailable };
  if (error instanceof UnavailableError) {
    const hint = error.service === 'temporal' ? 'is the stack running (npm start)? TEMPORAL_ADDRESS sets where to look' : 'is the stack running (npm start)? DATABASE_URL sets where to look';
    return { lines: [`wf: ${sanitizeMessage(error.message)}`, `  ${hint}`], exitCode: EXIT.unavailable };
  }
  const message = error instanceof Error ? error.message : String(error);
  // The SDK's converter meets a payload of the encryption codec (ENCRYPTED_ENCODING of
  // src/payloads/encryption-codec.ts, not imported: it loads protobuf) without the codec.
  if (message === 'Unknown encoding: binary/encrypted') {
    return { lines: ['wf: the execution\'s payloads are encrypted and wf has no payload key: set WF_PAYLOAD_KEY (or WF_PAYLOAD_KEYS) to the workers\' key (npm start\'s is in .data/payload.key)'], exitCode: EXIT.invalid };
  }
  return { lines: [`wf: ${sanitizeMessage(message)}`], exitCode: EXIT.executionFailed };
}

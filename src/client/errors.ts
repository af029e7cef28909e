/**
 * Errors of the client SDK, named after what the caller should do about them. The CLI and
 * the API map them to exit codes and HTTP statuses in one place each.
 */
import type { ValidationProblem } from '../workflows/graph/types';

/** The graph document or the input is invalid: fix it (CLI exit 2, HTTP 400). */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  constructor(
    message: string,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(message);
  }
}

/** A graph version already stored with different content: bump the version (exit 2, HTTP 409). */
export class GraphVersionConflictError extends Error {
  override readonly name = 'GraphVersionConflictError';
  constructor(
    readonly graphId: string,
    readonly version: number,
  ) {
    super(`graph "${graphId}" version ${version} is already stored with different content; give the changed graph a new version`);
  }
}

/** No such execution or graph in this organization (exit 2, HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly kind: 'execution' | 'graph' | 'organization' | 'dead letter' | 'API key' | 'trigger' | 'webhook' | 'schedule' | 'form' | 'corpus' | 'document',
    readonly id: string,
  ) {
    super(`${kind} "${id}" not found`);
  }
}

/** Something of that id already exists in the organization: pick another id (exit 2, HTTP 409). */
export class AlreadyExistsError extends Error {
  override readonly name = 'AlreadyExistsError';
  constructor(
    readonly kind: 'form',
    readonly id: string,
  ) {
    super(`${kind} "${id}" already exists`);
  }
}

/** Temporal or PostgreSQL cannot be reached (exit 3, HTTP 503). */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
  constructor(
    readonly service: 'temporal' | 'postgres',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Temporal answered but the TLS handshake failed: the message says which TEMPORAL_TLS_* setting to check (exit 3, HTTP 503). */
export class TemporalTlsError extends UnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('temporal', message, options);
  }
}

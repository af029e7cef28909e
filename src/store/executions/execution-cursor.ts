/**
 * The opaque `cursor` of execution lists: base64url JSON of the last row's (created_at, id).
 * A client may send anything back, so decoding is strict: a cursor that did not come from
 * encodeExecutionCursor is refused (400) instead of reaching the timestamptz parameter
 * (a 500) or silently restarting at the first page.
 */
export interface ExecutionCursor {
  /**
   * created_at of the last row of the previous page, as an ISO timestamp with the column's
   * microseconds (older cursors have milliseconds): rows created within one millisecond of
   * it are neither skipped nor repeated.
   */
  at: string;
  id: string;
}

export function encodeExecutionCursor(cursor: ExecutionCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at, id: cursor.id })).toString('base64url');
}

/** 2024-01-01T00:00:00.123Z or 2024-01-01T00:00:00.123456Z, a real instant. */
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})(\d{3})?Z$/;
function isIsoTimestamp(text: unknown): text is string {
  const match = typeof text === 'string' ? ISO_TIMESTAMP.exec(text) : null;
  if (!match) return false;
  const milliseconds = `${match[1]}Z`;
  return !Number.isNaN(Date.parse(milliseconds)) && new Date(milliseconds).toISOString() === milliseconds;
}

/** The cursor, or undefined when `text` is not one this module made. */
export function decodeExecutionCursor(text: string): ExecutionCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { at, id } = parsed as Record<string, unknown>;
  if (!isIsoTimestamp(at) || typeof id !== 'string' || id.length === 0 || id.length > 200 || id.includes('\u0000')) return undefined;
  return { at, id };
}

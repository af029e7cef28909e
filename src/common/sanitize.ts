/**
 * Errors shown or stored (mirror, CLI, API) carry a type and a message only: no stack trace,
 * no secrets. Pure code, safe in the workflow sandbox too.
 */
export interface SanitizedError {
  type: string;
  message: string;
}

const MAX_MESSAGE = 2000;
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(\w+:\/\/[^:/\s@]+:)[^@\s]+@/g, '$1***@'], // credentials in URLs
  [/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1***'],
  [/((?:password|passwd|secret|token|api[_-]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1***'],
];

export function sanitizeMessage(message: string): string {
  // Stack frames start with "    at "; keep what comes before them.
  let text = message.split(/\n\s+at\s/)[0];
  for (const [pattern, replacement] of SECRET_PATTERNS) text = text.replace(pattern, replacement);
  text = text.trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

export function sanitizeError(error: unknown, fallbackType = 'Error'): SanitizedError {
  if (error && typeof error === 'object') {
    const record = error as { type?: unknown; name?: unknown; message?: unknown };
    const type = typeof record.type === 'string' && record.type ? record.type : typeof record.name === 'string' && record.name ? record.name : fallbackType;
    const message = typeof record.message === 'string' ? record.message : String(error);
    return { type, message: sanitizeMessage(message) };
  }
  return { type: fallbackType, message: sanitizeMessage(String(error)) };
}

import { pino } from 'pino';
import type { Logger } from './logger';

/**
 * JSON logs on stderr (stdout stays clean for machine-readable CLI output). The level comes
 * from the entry point's config (LOG_LEVEL, src/config.ts).
 */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, redact: ['databaseUrl', '*.password', 'authorization'] }, pino.destination(2));
}

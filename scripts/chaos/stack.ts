/**
 * The chaos suite's own stack, apart from anything else on the machine: a Temporal dev server
 * with its state in a SQLite file and an embedded PostgreSQL, both on free 127.0.0.1 ports in
 * a temporary directory, migrated. Either can be stopped and started again on the same port
 * and data mid-run, which is what the restart phases do.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/stack/free-port';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/stack/postgres';
import { startDevServer, type DevServer } from '../../src/stack/temporal-server';
import { migrate } from '../../src/store/migrate';

export interface ChaosStack {
  workDir: string;
  temporalAddress: string;
  databaseUrl: string;
  /** Stops the dev server, waits `downMs`, starts it again on the same port and file. */
  restartTemporal(downMs: number): Promise<void>;
  /** Stops PostgreSQL (fast shutdown), waits `downMs`, starts it again on the same data. */
  restartPostgres(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startChaosStack(): Promise<ChaosStack> {
  const workDir = mkdtempSync(join(tmpdir(), 'wf-chaos-'));
  // Postgres runs as its own system user when we are root: it must be able to reach its dir.
  chmodSync(workDir, 0o755);
  const [temporalPort, postgresPort] = [await freePort(), await freePort()];
  const dbFilename = join(workDir, 'temporal.sqlite');
  const startPostgres = (): Promise<RunningPostgres> => startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), port: postgresPort, database: 'wf_chaos', ephemeral: true });
  const startTemporal = (): Promise<DevServer> => startDevServer({ port: temporalPort, dbFilename });

  let server: DevServer | undefined;
  let postgres: RunningPostgres | undefined;
  const stop = async (): Promise<void> => {
    await Promise.allSettled([server?.stop(), postgres?.stop()]);
    server = postgres = undefined;
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    [server, postgres] = await Promise.all([startTemporal(), startPostgres()]);
    await migrate(postgres.url);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    workDir,
    temporalAddress: server.address,
    databaseUrl: postgres.url,
    async restartTemporal(downMs) {
      await server?.stop();
      server = undefined;
      await sleep(downMs);
      server = await startTemporal();
    },
    async restartPostgres(downMs) {
      await postgres?.stop();
      postgres = undefined;
      await sleep(downMs);
      postgres = await startPostgres();
    },
    stop,
  };
}

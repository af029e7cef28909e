/**
 * The chaos workers: N child processes on one task queue (scripts/chaos/worker.ts). A kill is
 * a SIGKILL of one of them, only while another one is polling (a worker still starting does
 * not count: it may take seconds), followed by a restart in its place after a short random
 * pause, as a supervisor would.
 */
import { spawnWorkerProcess, type WorkerProcess } from '../../test/helpers/worker-process';
import type { Random } from './random';

export interface Kill {
  /** Temporal identity of the killed worker. */
  worker: string;
  /** When the SIGKILL was sent (ms since the epoch). */
  at: number;
  phase: string;
}

const READY = /chaos-worker ready/;

export class WorkerFleet {
  private readonly slots: (WorkerProcess | undefined)[];
  private readonly ready = new Set<WorkerProcess>();
  private readonly restarts = new Set<Promise<void>>();
  readonly kills: Kill[] = [];
  /** Workers that ended without being told to (not by our SIGKILL): a crash is a finding. */
  readonly crashes: string[] = [];
  private stopping = false;

  constructor(
    size: number,
    private readonly env: Record<string, string>,
    private readonly random: Random,
  ) {
    this.slots = Array.from({ length: size }, () => undefined);
  }

  async start(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.startSlot(i)));
  }

  private async startSlot(index: number): Promise<void> {
    const worker = spawnWorkerProcess({ script: 'scripts/chaos/worker.ts', env: this.env, readyLine: READY });
    this.slots[index] = worker;
    void worker.exited.then(({ code, signal }) => {
      if (!this.stopping && signal !== 'SIGKILL') this.crashes.push(`${worker.identity} exited (${signal ?? code}); its last stderr:\n${worker.stderrTail().slice(-1500)}`);
    });
    await worker.ready;
    this.ready.add(worker);
  }

  /** Workers started and not killed, ready or not. */
  private living(): WorkerProcess[] {
    return this.slots.filter((w): w is WorkerProcess => w !== undefined && w.running());
  }

  /**
   * SIGKILLs a random worker unless fewer than two are polling (another must take over), and
   * restarts it after `restartAfterMs`. Undefined when no worker could be killed.
   */
  async killOne(phase: string, restartAfterMs: [number, number]): Promise<Kill | undefined> {
    const polling = this.living().filter((w) => this.ready.has(w));
    if (polling.length < 2) return undefined;
    const victim = this.random.pick(polling);
    const index = this.slots.indexOf(victim);
    const kill: Kill = { worker: victim.identity, at: Date.now(), phase };
    victim.kill('SIGKILL');
    this.kills.push(kill);
    await victim.exited;
    const pause = this.random.between(...restartAfterMs);
    const restart = new Promise<void>((resolve) => setTimeout(resolve, pause)).then(() => this.startSlot(index));
    this.restarts.add(restart);
    void restart.finally(() => this.restarts.delete(restart)).catch(() => undefined);
    return kill;
  }

  /** Resolves once every restart asked for so far has a worker polling again. */
  async restarted(): Promise<void> {
    await Promise.all([...this.restarts]);
  }

  /** SIGTERM (the SDK drains running tasks), then SIGKILL whatever did not stop in time. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.restarts]);
    const living = this.living();
    for (const worker of living) worker.kill('SIGTERM');
    const timer = setTimeout(() => living.forEach((worker) => worker.kill('SIGKILL')), graceMs);
    await Promise.all(living.map((worker) => worker.exited));
    clearTimeout(timer);
  }
}

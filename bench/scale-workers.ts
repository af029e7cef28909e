/**
 * The scale-out bench's workers: real child processes running the product's own entry
 * (`node --import tsx src/worker.ts`, as `npm run worker`) on a task queue of their own. A
 * worker counts as ready once Temporal lists it (its identity, `pid@host`) among the pollers
 * of both the workflow and the activity task queue; its memory comes from /proc/<pid>/status.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { spawnWorkerProcess, type WorkerProcess } from '../test/helpers/worker-process';
import { cpuNanoseconds, statusKiB } from './proc-stats';

const TASK_QUEUE_TYPE = proto.temporal.api.enums.v1.TaskQueueType;
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = 200;

export interface WorkerFleetOptions {
  temporal: Client;
  temporalAddress: string;
  databaseUrl: string;
  taskQueue: string;
}

export class ScaleWorkers {
  private readonly workers: WorkerProcess[] = [];
  private stopping = false;
  private failed: (reason: Error) => void = () => undefined;
  /** Rejects when a worker exits before stop(): race the measurements against it. */
  readonly died = new Promise<never>((_, reject) => (this.failed = reject));
  private readonly peaks = new Map<number, number>();
  private readonly whenReady = new Map<number, number>();
  private sampler: NodeJS.Timeout | undefined;
  /** Safety net: a bench that exits without stop() still tells its workers to leave. */
  private readonly onExit = (): void => this.workers.forEach((w) => w.kill('SIGTERM'));

  constructor(private readonly options: WorkerFleetOptions) {
    this.died.catch(() => undefined);
    process.on('exit', this.onExit);
  }

  get identities(): string[] {
    return this.workers.map((w) => w.identity);
  }

  /** Spawns one more worker and waits until it polls both task queue types. */
  async add(): Promise<WorkerProcess> {
    const { temporalAddress, databaseUrl, taskQueue } = this.options;
    const worker = spawnWorkerProcess({
      script: 'src/worker.ts',
      env: {
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: 'default',
        DATABASE_URL: databaseUrl,
        WF_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'warn',
        // Plain payloads and no trace export, whatever the bench's own environment says: the
        // driver's client has no codec. Blank is unset for src/config.ts.
        WF_PAYLOAD_KEY: '',
        WF_PAYLOAD_KEYS: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
      },
    });
    this.workers.push(worker);
    void worker.exited.then(({ code, signal }) => {
      if (!this.stopping) this.failed(new Error(`scale-out worker ${worker.identity} exited (${signal ?? code}); its last stderr:\n${worker.stderrTail().slice(-2000)}`));
    });
    await Promise.race([this.waitUntilPolling(worker), this.died]);
    this.whenReady.set(worker.pid, statusKiB(worker.pid, 'VmRSS') ?? 0);
    return worker;
  }

  private async waitUntilPolling(worker: WorkerProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const polling = await Promise.all([TASK_QUEUE_TYPE.TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE.TASK_QUEUE_TYPE_ACTIVITY].map((type) => this.pollers(type)));
      if (polling.every((identities) => identities.includes(worker.identity))) return;
      if (Date.now() > deadline) throw new Error(`scale-out worker ${worker.identity} not polling ${this.options.taskQueue} after ${READY_TIMEOUT_MS / 1000} s; its stderr:\n${worker.stderrTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async pollers(taskQueueType: proto.temporal.api.enums.v1.TaskQueueType): Promise<string[]> {
    const response = await this.options.temporal.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: this.options.taskQueue }, taskQueueType });
    return (response.pollers ?? []).map((p) => p.identity ?? '');
  }

  /** Starts sampling every worker's VmRSS; peakRss() gives the highest value since. */
  startSampling(): void {
    this.stopSampling();
    this.peaks.clear();
    const sample = (): void => {
      for (const w of this.workers) {
        const rss = statusKiB(w.pid, 'VmRSS');
        if (rss !== undefined) this.peaks.set(w.pid, Math.max(rss, this.peaks.get(w.pid) ?? 0));
      }
    };
    sample();
    this.sampler = setInterval(sample, RSS_SAMPLE_MS);
    this.sampler.unref();
  }

  stopSampling(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
  }

  /**
   * Per worker, in start order, MiB: VmRSS when it first polled, the highest VmRSS sampled since
   * startSampling(), and the kernel's VmHWM (its peak over its whole life, start-up bundling included).
   */
  memory(): { readyMiB: number; sampledPeakMiB: number; lifetimePeakMiB: number }[] {
    return this.workers.map((w) => ({ readyMiB: (this.whenReady.get(w.pid) ?? 0) / 1024, sampledPeakMiB: (this.peaks.get(w.pid) ?? 0) / 1024, lifetimePeakMiB: (statusKiB(w.pid, 'VmHWM') ?? 0) / 1024 }));
  }

  /** Per worker, in start order: nanoseconds it has spent on a CPU so far. */
  cpuNanoseconds(): number[] {
    return this.workers.map((w) => cpuNanoseconds(w.pid) ?? 0);
  }

  /** SIGTERM to every worker (they drain and exit), SIGKILL to any still there after 30 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSampling();
    await Promise.all(
      this.workers.map(async (w) => {
        w.kill('SIGTERM');
        const late = setTimeout(() => w.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await w.exited;
        clearTimeout(late);
      }),
    );
    process.off('exit', this.onExit);
  }
}

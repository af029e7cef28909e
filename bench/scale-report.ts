/** The scale-out bench's table (stdout) and its section of BENCHMARKS.md. */
import os from 'node:os';
import type { ScaleOutResults, ScaleWorkerFigures } from './scale-out';

const perWorker = (workers: ScaleWorkerFigures[], figure: (w: ScaleWorkerFigures) => string): string => workers.map(figure).join(' / ');

function share(workers: ScaleWorkerFigures[], count: (w: ScaleWorkerFigures) => number): string {
  const total = workers.reduce((sum, w) => sum + count(w), 0);
  return perWorker(workers, (w) => `${total ? ((100 * count(w)) / total).toFixed(0) : '-'}% (${count(w)})`);
}

export function scaleTable(results: ScaleOutResults): string {
  const one = results.rows.find((r) => r.workers === 1);
  const lines = [
    '| workers | executions | exec/s | vs 1 worker | p50 ms | p99 ms | machine CPU busy | worker CPU, % of a core | RSS MiB when ready | peak RSS MiB, during the run | peak RSS MiB, since start | activity tasks | workflow tasks |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results.rows) {
    lines.push(
      `| ${r.workers} | ${r.executions} | ${r.perSecond.toFixed(1)} | ${one ? `${(r.perSecond / one.perSecond).toFixed(2)}x` : '-'} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.machineBusyPercent.toFixed(0)}% | ${perWorker(r.perWorker, (w) => `${w.cpuPercent.toFixed(0)}%`)} | ${perWorker(r.perWorker, (w) => w.readyMiB.toFixed(0))} | ${perWorker(r.perWorker, (w) => w.sampledPeakMiB.toFixed(0))} | ${perWorker(r.perWorker, (w) => w.lifetimePeakMiB.toFixed(0))} | ${share(r.perWorker, (w) => w.activityTasks)} | ${share(r.perWorker, (w) => w.workflowTasks)} |`,
    );
  }
  return lines.join('\n');
}

export function scaleMarkdown(results: ScaleOutResults, command: string): string {
  const { concurrency, total, warmup, taskQueue } = results.settings;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cores = os.availableParallelism();
  return `## Scale-out: 1 and 2 workers

How throughput changes with a second worker process. The workers are real child processes running the
product's own entry, \`node --import tsx src/worker.ts\` (what \`npm run worker\` runs), against the bench's dev
server and Postgres, on a task queue of their own (\`${taskQueue}\`), so the bench's in-process worker does
none of this work (bench/scale-out.ts, bench/scale-workers.ts; \`BENCH_SCALE_ONLY=1 npm run bench\` runs only
this part and prints it without rewriting this file).

- Date: ${date}
- Command: \`${command}\`
- Settings: the 10-node chain of \`mock\` nodes through \`EngineClient\` (start + waitForEnd, every execution
  checked: status completed, expected output). First 1 worker, then a second one started beside it; each
  worker waited for until Temporal lists it among the pollers of both the workflow and the activity task
  queue. Per configuration ${warmup} warm-up executions, then ${total} executions with ${concurrency} in flight.
  Knobs: \`BENCH_SCALE_CONCURRENCY\`, \`BENCH_SCALE_TOTAL\` (the warm-up is twice the concurrency).
- **exec/s**: executions / wall time of the measured run; **vs 1 worker**: the ratio to the 1-worker row.
- **p50 / p99**: wall time of one execution under that load, from before \`start\` to \`waitForEnd\`'s
  answer (nearest rank).
- **machine CPU busy**: the share of all ${cores} cores' time that was not idle during the measured run
  (\`/proc/stat\`): everything on the machine, the bench's servers and driver and anything else running.
- Per worker, in start order (worker 1 / worker 2), from \`/proc/PID/stat\` and \`/proc/PID/status\`:
  - **worker CPU**: its CPU time during the measured run (all its threads) over the run's wall time, in % of
    one core.
  - **RSS when ready**: VmRSS when it first polled (started, its workflow code bundled with webpack in its
    own process, nothing run yet).
  - **peak RSS during the run**: the highest VmRSS sampled every 200 ms during the configuration's warm-up
    and measured run.
  - **since start**: the kernel's VmHWM at the configuration's end: its peak since it started, so it includes
    start-up and, for worker 1 in the 2-worker row, the 1-worker configuration.
  - RSS keeps heap that V8 grew while bundling and has not handed back, so it overstates what the
    executions themselves need.
- **Activity / workflow tasks**: the share of the measured executions' tasks each worker ran, from the
  \`identity\` of the ActivityTaskStarted and WorkflowTaskStarted events in their histories (checked to name
  only these workers). Local activities (the mirror's writes) run inside the workflow task of the worker
  that runs it.

${scaleTable(results)}

Executions whose tasks ran on more than one worker: ${results.rows.map((r) => `${r.splitExecutions} of ${r.executions} with ${r.workers} worker${r.workers === 1 ? '' : 's'}`).join(', ')}
(a workflow's next task goes to the sticky queue of the worker that has it cached, so an execution tends to
stay where it started). Load average when the measurements ended: ${results.loadAverage.map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 minutes).

On this ${cores}-core machine the dev server, Postgres, the driver and the workers all share the same cores,
so the second worker measures contention more than capacity: it adds a process competing for the cores
that were already busy, not new cores. On separate hosts each worker brings its own cores, and the limit
moves to the Temporal cluster and the database.
`;
}

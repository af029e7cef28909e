/** The in-flight RSS bench's table (stdout) and its section of BENCHMARKS.md. */
import type { InFlightRssResult } from './in-flight-rss';

const f0 = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(0));

export function inFlightRssTable(result: InFlightRssResult): string {
  const { rss, settings: s } = result;
  // In flight: started and not ended. The worker may not have run every first task yet (the mirror's running count says how many it had).
  const allInFlight = result.endedBeforeLastStart === 0;
  return [
    '| measurement | value |',
    '| --- | ---: |',
    `| executions in flight (${s.chain} mocks of ${s.delayMs} ms each) | ${s.executions} |`,
    `| all in flight at once (none ended before the last start returned) | ${allInFlight ? 'yes' : `no, ${result.endedBeforeLastStart} had ended`}; Temporal counted ${result.temporalRunningAtLastStart ?? '-'} running then (its visibility lags) |`,
    `| held by the worker at once, at most (running in the mirror: first task run, last not) | ${result.maxRunning} |`,
    `| RSS when ready, MiB | ${f0(rss.ready)} |`,
    `| RSS after ${s.warmup} warm-up executions, MiB | ${f0(rss.afterWarmup)} |`,
    `| RSS when the last start returned, MiB | ${f0(rss.allStarted)} |`,
    `| peak RSS while they ran, MiB | ${f0(rss.peak)} |`,
    `| RSS after all ended, MiB | ${f0(rss.afterAllEnded)} |`,
    `| VmHWM (peak since the worker started), MiB | ${f0(rss.lifetimePeak)} |`,
    `| RSS per in-flight execution, KiB: (peak - ready) / N | ${f0(result.perExecutionKiB.fromReady)} |`,
    `| RSS per in-flight execution, KiB: (peak - after warm-up) / N | ${f0(result.perExecutionKiB.fromWarm)} |`,
    `| RSS per execution held by the worker, KiB: (peak - after warm-up) / most held at once | ${f0(((rss.peak - rss.afterWarmup) * 1024) / Math.max(1, result.maxRunning))} |`,
    `| time to start all (${s.startParallel} starts at a time), s | ${result.startSeconds.toFixed(1)} |`,
    `| time until all ended, from the first start, s | ${result.allEndedSeconds.toFixed(1)} |`,
    `| completed with the expected output | ${result.completed} of ${s.executions} |`,
    `| workflow tasks not on the sticky queue (after each execution's first) | ${result.nonStickyTasks}, in ${result.executionsWithNonStickyTasks} executions |`,
    `| workflow task timeouts: sticky schedule-to-start / start-to-close | ${result.workflowTaskTimeouts.scheduleToStart} / ${result.workflowTaskTimeouts.startToClose} |`,
  ].join('\n');
}

export function inFlightRssMarkdown(result: InFlightRssResult, command: string): string {
  const { settings: s, limits } = result;
  return `## Worker RSS with ${s.executions} executions in flight

How much memory one worker needs per execution it holds (bench/in-flight-rss.ts; \`npx tsx bench/lag-rss-only.ts\`
runs only this and the mirror-lag part and prints them).

- Command: \`${command}\`
- The worker: a child process running the product's own entry, \`node --import tsx src/worker.ts\`, with its
  defaults, on a task queue of its own (\`${s.taskQueue}\`): the SDK's maxCachedWorkflows (${limits.maxCachedWorkflows} here, computed
  from V8's heap limit), ${limits.maxActivities} activities and ${limits.maxWorkflowTasks} workflow tasks at once.
- The executions: a ${s.chain}-node chain of \`mock\` nodes that each wait ${s.delayMs} ms (heartbeating every second), started
  through \`EngineClient.start\`, ${s.startParallel} starts at a time, after ${s.warmup} warm-up executions. With at most
  ${limits.maxActivities} activities running, most executions wait for an activity slot: in flight (history open, cached on
  the worker) with nothing running. **All in flight at once**: none had ended when the last start returned.
  **Held by the worker**: the most the mirror (polled every 250 ms from then on) showed \`running\` at once; the
  worker writes that row in an execution's first workflow task, so one whose first task still waits in the
  queue is in flight but not yet on the worker.
- Memory: VmRSS from \`/proc/PID/status\`, sampled every 200 ms from the first start until the mirror showed all
  ended; RSS keeps heap V8 grew and has not handed back, so "after all ended" stays near the peak.
- **Workflow tasks not on the sticky queue**: from each execution's history, the WorkflowTaskScheduled events
  after its first whose task queue is the normal one: the worker had evicted the workflow from its cache, or
  did not pick the sticky task up within the sticky timeout (1 s, src/worker.ts), so the task went to the
  shared queue with the whole history.

${inFlightRssTable(result)}
`;
}

/** The mirror-lag bench's tables (stdout) and its section of BENCHMARKS.md. */
import type { LagStats } from './lag-stats';
import type { MirrorLagResult } from './mirror-lag';

const ms = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(0));
const spread = (s: LagStats): string => `${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.min)} | ${ms(s.max)}`;

export function mirrorLagTable(result: MirrorLagResult): string {
  const lines = [
    '| graph | activity rows | lag p50 ms | p99 ms | min ms | max ms | seen before the end event | written (finished_at) - end, p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.activity.map((r) => `| ${r.graph} | ${r.lag.count} | ${spread(r.lag)} | ${r.lag.negative} (${((100 * r.lag.negative) / Math.max(1, r.lag.count)).toFixed(0)}%) | ${ms(r.written.p50)} | ${ms(r.written.p99)} |`),
    '',
    '| graph | inline node | its row travels with | rows | from WorkflowTaskCompleted: p50 ms | p99 ms | min ms | max ms | from WorkflowTaskStarted: p50 ms | p99 ms |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.inline.map((r) => `| ${r.graph} | ${r.node} | ${r.route} | ${r.fromTaskCompleted.count} | ${spread(r.fromTaskCompleted)} | ${ms(r.fromTaskStarted.p50)} | ${ms(r.fromTaskStarted.p99)} |`),
    '',
    `Sampler: ${result.sampling.ticks} queries, one every ${result.sampling.meanMs.toFixed(1)} ms on average (p99 ${ms(result.sampling.p99Ms)} ms, max ${ms(result.sampling.maxMs)} ms; asked for ${result.settings.samplePeriodMs} ms).`,
  ];
  return lines.join('\n');
}

export function mirrorLagMarkdown(result: MirrorLagResult, command: string): string {
  const { executions, concurrency, samplePeriodMs } = result.settings;
  return `## Mirror lag

How long after a node ended its step row is visible as \`completed\` in Postgres (bench/mirror-lag.ts;
\`npx tsx bench/lag-rss-only.ts\` runs only this and the in-flight RSS part and prints them).

- Command: \`${command}\`
- Executions: per graph ${concurrency} warm-up, then ${executions} measured executions through \`EngineClient\`
  (start with an idempotency key, so the execution id is known before it starts, + waitForEnd), ${concurrency}
  in flight, on the bench's in-process worker. Graphs: the 10-node \`mock\` chain, the 20-way fan-out, and
  \`inline\`: mock \`a\` -> transform \`t1\` -> mock \`b\` -> transform \`t2\`.
- **visible**: a sampler on its own connection queries \`execution_steps\` for every execution in flight (one
  query per tick, a tick every ${samplePeriodMs} ms from one query's start to the next) and stamps each row with the
  time the first query that returned it \`completed\` was sent. Resolution: one sample period (measured below)
  plus a query; the row was committed between the previous query's snapshot and this one's.
- **activity rows: lag** = visible - the \`ActivityTaskCompleted\` event's \`eventTime\` in the execution's
  history. The node's activity writes its own row (step and attempt, one statement) before it returns, so a
  negative lag is the expected case: the row is there before Temporal records the end. **written - end** is
  the row's own \`finished_at\` (the writing transaction's \`now()\`) minus the same event time: the same
  comparison without the sampler's resolution.
- **inline rows**: from the workflow task that decided the node, the first task that started after its last
  activity predecessor's \`ActivityTaskCompleted\` (for \`t1\`: \`a\`'s; for \`t2\`: \`b\`'s): its
  \`WorkflowTaskCompleted\` and its \`WorkflowTaskStarted\` (the workflow's clock when it decided, which is
  what the row's \`finished_at\` holds). \`t1\`'s row rides along with \`b\`'s activity, written when that activity
  starts; \`t2\`'s goes with the final \`mirrorFlush\` local activity, which runs inside the deciding workflow
  task, before it completes: a negative lag from \`WorkflowTaskCompleted\` is the expected case there.
- One clock: the Temporal dev server, Postgres and the sampler run on this machine, so event times,
  \`finished_at\` and the sampler's stamps are all this machine's wall clock.

${mirrorLagTable(result)}
`;
}

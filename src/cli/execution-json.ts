import type { ExecutionView } from '../store/executions/read-execution';

/** The one JSON object `wf run --json` and `wf status --json` print (DESIGN §7). */
export function executionJson(view: ExecutionView): Record<string, unknown> {
  const steps: Record<string, unknown> = {};
  for (const [nodeId, step] of Object.entries(view.steps)) {
    steps[nodeId] = {
      status: step.status,
      attempts: step.attempts,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      ...(step.reused ? { reused: true } : {}),
      ...(step.local ? { local: true } : {}),
    };
  }
  return {
    executionId: view.executionId,
    status: view.status,
    output: view.output,
    error: view.error,
    ...(view.retryOf ? { retryOf: view.retryOf } : {}),
    ...(view.scheduleId ? { scheduleId: view.scheduleId } : {}),
    steps,
  };
}

function seconds(from: string | null, to: string | null): string {
  if (!from || !to) return '';
  return `${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(2)}s`;
}

/** A short human summary for a terminal. */
export function executionText(view: ExecutionView): string {
  const lines = [`execution ${view.executionId} (${view.graphId} v${view.graphVersion}): ${view.status}${view.finishedAt ? ` in ${seconds(view.startedAt, view.finishedAt)}` : ''}`];
  if (view.retryOf) lines.push(`retry of ${view.retryOf}`);
  if (view.scheduleId) lines.push(`started by schedule ${view.scheduleId}`);
  if (view.queuedAt) lines.push(`queued ${view.queuedAt}, started ${view.startedAt ?? '(not yet)'}, finished ${view.finishedAt ?? '(not yet)'}`);
  const width = Math.max(4, ...Object.keys(view.steps).map((id) => id.length));
  for (const [nodeId, step] of Object.entries(view.steps)) {
    const attempts = step.attempts > 0 ? `${step.attempts} attempt${step.attempts === 1 ? '' : 's'}` : '';
    const notes = [step.local ? 'local' : '', step.error ? `${step.error.type}: ${step.error.message}` : step.reused ? 'reused' : ''];
    const extra = notes.filter(Boolean).join(', ');
    lines.push(`  ${nodeId.padEnd(width)}  ${step.status.padEnd(11)} ${attempts.padEnd(11)} ${seconds(step.startedAt, step.finishedAt).padEnd(8)} ${extra}`.trimEnd());
  }
  if (view.error) lines.push(`error: ${view.error.type}: ${view.error.message}`);
  if (view.status === 'completed') lines.push(`output: ${JSON.stringify(view.output)}`);
  return lines.join('\n');
}

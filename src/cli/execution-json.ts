import type { ExecutionView, StepView } from '../store/executions/read-execution';
import { isItemStep } from '../workflows/graph/node-types/map';

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
      ...(step.progress ? { progress: step.progress } : {}),
    };
  }
  return {
    executionId: view.executionId,
    status: view.status,
    output: view.output,
    error: view.error,
    ...(view.retryOf ? { retryOf: view.retryOf } : {}),
    ...(view.scheduleId ? { scheduleId: view.scheduleId } : {}),
    ...(view.parentExecutionId ? { parentExecutionId: view.parentExecutionId } : {}),
    ...(view.children ? { children: view.children } : {}),
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
  if (view.parentExecutionId) lines.push(`subgraph of ${view.parentExecutionId}`);
  if (view.queuedAt) lines.push(`queued ${view.queuedAt}, started ${view.startedAt ?? '(not yet)'}, finished ${view.finishedAt ?? '(not yet)'}`);
  // A map's items are summed up on the map's line; only failed ones get a line of their own.
  const shown = Object.entries(view.steps).filter(([nodeId, step]) => !isItemStep(nodeId) || step.status === 'failed');
  const width = Math.max(4, ...shown.map(([id]) => id.length));
  for (const [nodeId, step] of shown) {
    const attempts = step.attempts > 0 ? `${step.attempts} attempt${step.attempts === 1 ? '' : 's'}` : '';
    const notes = [step.local ? 'local' : '', step.error ? `${step.error.type}: ${step.error.message}` : step.reused ? 'reused' : step.progress ? progressText(step.progress) : ''];
    const extra = notes.filter(Boolean).join(', ');
    lines.push(`  ${nodeId.padEnd(width)}  ${step.status.padEnd(11)} ${attempts.padEnd(11)} ${seconds(step.startedAt, step.finishedAt).padEnd(8)} ${extra}`.trimEnd());
  }
  // A map's children are summed up like its items: only those that did not complete are listed.
  const children = (view.children ?? []).filter((child) => !isItemStep(child.nodeId) || child.status !== 'completed');
  for (const child of children) lines.push(`  ${child.nodeId} → child ${child.executionId} (${child.graphId} v${child.graphVersion}): ${child.status}`);
  if (view.error) lines.push(`error: ${view.error.type}: ${view.error.message}`);
  if (view.status === 'completed') lines.push(`output: ${JSON.stringify(view.output)}`);
  return lines.join('\n');
}

/** A map step's items: `37/200 items done, 1 failed`. */
export function progressText(progress: NonNullable<StepView['progress']>): string {
  const failed = progress.failed > 0 ? `, ${progress.failed} failed` : '';
  return `${progress.completed + progress.failed}/${progress.total} items done${failed}`;
}

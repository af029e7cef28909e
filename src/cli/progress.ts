/**
 * Live per-node progress for `wf run` on a terminal: polls the mirror and prints a line
 * whenever a node changes status. Written to stderr, so stdout stays one JSON object.
 */
import type { EngineClient, ExecutionView } from '../client';
import { isItemStep } from '../workflows/graph/node-types/map';
import { progressText } from './execution-json';

const SYMBOLS: Record<string, string> = {
  pending: '·',
  waiting: '…',
  running: '▸',
  completed: '✓',
  failed: '✗',
  skipped: '↷',
  cancelled: '⊘',
  compensated: '↺',
};

export interface ProgressWatch {
  /** Stops polling after printing what the final view changed. */
  finish(view?: ExecutionView): void;
}

export function watchProgress(client: EngineClient, organizationId: string, executionId: string, write: (line: string) => void, everyMs = 250): ProgressWatch {
  const seen = new Map<string, string>();
  let stopped = false;
  const report = (view: ExecutionView): void => {
    for (const [nodeId, step] of Object.entries(view.steps)) {
      // A map's items show as its progress; a failed item gets its own line.
      if (isItemStep(nodeId) && step.status !== 'failed') continue;
      const progress = step.progress ? ` ${progressText(step.progress)}` : '';
      const key = `${step.status}:${step.attempts}:${progress}`;
      if (seen.get(nodeId) === key || step.status === 'pending') continue;
      seen.set(nodeId, key);
      const attempt = step.status === 'running' && step.attempts > 1 ? ` (attempt ${step.attempts})` : '';
      const error = step.error && step.status === 'failed' ? ` ${step.error.type}: ${step.error.message}` : '';
      write(`  ${SYMBOLS[step.status] ?? '?'} ${nodeId} ${step.status}${attempt}${progress}${error}`);
    }
  };
  const tick = async (): Promise<void> => {
    while (!stopped) {
      try {
        report(await client.status(organizationId, executionId));
      } catch {
        // not mirrored yet, or a passing database hiccup: try again next tick
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  void tick();
  return {
    finish(view) {
      stopped = true;
      if (view) report(view);
    },
  };
}

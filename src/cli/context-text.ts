import type { ExecutionContextView } from '../store/context-snapshots/context-view';

/** Long values are cut on a terminal (`--json` prints them whole). */
const MAX_VALUE_CHARS = 200;

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/** `wf status ID --context` on a terminal: the context at one snapshot, then the list of snapshots. */
export function contextText(view: ExecutionContextView): string {
  const latest = view.snapshots.length;
  if (latest === 0) return `execution ${view.executionId} (${view.status}): no context snapshot yet (one is taken after each batch of decided nodes)`;
  const lines = [`execution ${view.executionId} (${view.status}): context at snapshot ${view.sequence} of ${latest}, taken ${view.takenAt}`];
  if ('input' in view.context) lines.push(`input: ${short(view.context.input)}`);
  const nodes = Object.entries(view.context.nodes);
  const width = Math.max(4, ...nodes.map(([id]) => id.length));
  for (const [nodeId, node] of nodes) {
    const detail = node.error ? `${node.error.type}: ${node.error.message}` : 'output' in node ? `output: ${short(node.output)}` : '';
    lines.push(`  ${nodeId.padEnd(width)}  ${node.status.padEnd(11)} ${detail}`.trimEnd());
  }
  lines.push('snapshots:');
  for (const snapshot of view.snapshots) lines.push(`  ${String(snapshot.sequence).padStart(String(latest).length)}  ${snapshot.takenAt}  ${snapshot.nodeIds.join(', ')}`);
  if (view.retrievals.length > 0) {
    lines.push('retrievals:');
    for (const event of view.retrievals) {
      const found = event.chunkIds.map((chunkId, index) => `${chunkId} ${event.scores[index]!.toFixed(4)}`).join(', ') || 'no matches';
      lines.push(`  ${event.nodeId} attempt ${event.attempt}  ${short(event.query)} in ${short(event.corpus)}  ${event.latencyMs} ms: ${found}`);
    }
  }
  return lines.join('\n');
}

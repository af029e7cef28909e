/** How an execution's or a step's stored error reads: type and message only (stored sanitized, never a stack). */
import { h, link } from './dom';
import { executionUrl } from './router';
import type { ErrorInfo } from './types';

export function errorBlock(error: ErrorInfo | null | undefined, id?: string): HTMLElement | null {
  if (!error) return null;
  const node = error.node;
  return h(
    'div',
    { class: 'error-box', role: 'note', ...(id ? { id } : {}) },
    h('strong', {}, error.type ?? 'Error'),
    h('span', {}, `: ${error.message ?? ''}`),
    // The execution's error repeats its node's; what it adds is which node, and after how many attempts.
    node ? h('div', { class: 'muted' }, `node ${node.nodeId} (${node.type})${node.attempts > 0 ? ` after ${node.attempts} attempt${node.attempts === 1 ? '' : 's'}` : ', inside the workflow'}`) : null,
    error.child ? h('div', {}, 'child execution ', link(executionUrl(error.child.executionId), error.child.executionId), `: ${error.child.error.type}: ${error.child.error.message}`) : null,
  );
}

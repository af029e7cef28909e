/**
 * /console/executions/:id: the execution's graph laid out by elkjs, each node coloured by its
 * step's live status (the API's event stream), a node's attempts and sanitized errors on a
 * click, and links to the Temporal Web UI, its parent, its children, its retry and dead letter.
 */
import { segment } from '../api';
import { canOperate, type Page, type PageContext } from '../context';
import { confirmDialog } from '../dialog';
import { duration, fill, h, json, link, problem, statusBadge, when } from '../dom';
import { errorBlock } from '../errors';
import { drawGraph, type DrawnGraph } from '../graph/draw';
import { layoutGraph } from '../graph/layout';
import { deadLetterUrl, executionUrl, withQuery, BASE, type Route } from '../router';
import { followEvents, type StreamState } from '../sse';
import type { DeadLetter, ExecutionView, GraphDocument, GraphNode, StepAttempt, StepView } from '../types';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'timed_out']);
/** Right after a start the mirror may not know the graph yet: ask again this often. */
const NOT_YET_MS = 700;

export const temporalUiUrl = (context: PageContext, executionId: string): string =>
  `${context.config.temporalUiUrl}/namespaces/${encodeURIComponent(context.config.temporalNamespace)}/workflows/${encodeURIComponent(executionId)}`;

export const executionPage: Page<Extract<Route, { page: 'execution' }>> = (main, context, route) => {
  const id = route.id;
  const base = `/api/v1/executions/${segment(id)}`;
  let stopped = false;
  let stopStream: (() => void) | undefined;
  let view: ExecutionView | undefined;
  let drawn: DrawnGraph | undefined;
  let selected: string | undefined;
  const nodes = new Map<string, GraphNode>();
  const steps: Record<string, StepView> = {};

  const header = h('div', { class: 'execution-header' });
  const notice = h('div');
  const graphArea = h('div', { class: 'graph-scroll', id: 'graph' }, h('p', { class: 'muted' }, 'Laying out the graph…'));
  const panel = h('aside', { class: 'node-panel', id: 'node-panel' }, h('p', { class: 'muted' }, 'Click a node to see its attempts and errors.'));
  const outcome = h('div', { id: 'outcome' });
  const streamState = h('p', { class: 'stream-state muted', id: 'stream-state' });
  const graphColumn = h('div', { class: 'graph-column' }, graphArea);
  fill(main, header, notice, h('div', { class: 'execution-body' }, graphColumn, panel), outcome, streamState);

  const drawHeader = (current: ExecutionView, letter: DeadLetter | undefined): void => {
    const operate = canOperate(context.me.role) && (current.status === 'running' || current.status === 'queued');
    fill(
      header,
      h('h1', {}, 'Execution ', h('code', {}, current.executionId), ' ', statusBadge(current.status, { id: 'execution-status' })),
      h(
        'p',
        { class: 'meta' },
        'graph ', link(withQuery(`${BASE}/executions`, { graphId: current.graphId }), current.graphId), ` v${current.graphVersion}`,
        ` · started ${when(current.startedAt)}`,
        current.finishedAt ? ` · finished ${when(current.finishedAt)} (${duration(current.startedAt, current.finishedAt)})` : current.startedAt ? ` · running for ${duration(current.startedAt, null)}` : '',
        current.queuedAt ? ` · queued ${when(current.queuedAt)}` : '',
      ),
      h(
        'p',
        { class: 'links' },
        h('a', { href: temporalUiUrl(context, current.executionId), target: '_blank', rel: 'noopener noreferrer', id: 'temporal-link' }, 'Open in the Temporal Web UI ↗'),
        current.parentExecutionId ? [' · parent ', link(executionUrl(current.parentExecutionId), current.parentExecutionId)] : null,
        current.retryOf ? [' · retry of ', link(executionUrl(current.retryOf), current.retryOf)] : null,
        letter ? [' · dead letter ', link(deadLetterUrl(letter.id), letter.id), ` (${letter.status})`] : null,
        letter?.retryExecutionId ? [' · retried as ', link(executionUrl(letter.retryExecutionId), letter.retryExecutionId)] : null,
      ),
      current.children && current.children.length > 0
        ? h('details', { class: 'children', open: current.children.length <= 5 }, h('summary', {}, `${current.children.length} child execution${current.children.length === 1 ? '' : 's'}`), h('ul', {}, current.children.map((child) => h('li', {}, link(executionUrl(child.executionId), child.executionId), ` node ${child.nodeId} · `, statusBadge(child.status)))))
        : null,
      operate ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', 'data-action': 'cancel', onclick: () => void cancel() }, 'Cancel execution')) : null,
    );
    fill(
      outcome,
      errorBlock(current.error, 'execution-error'),
      current.status === 'completed' ? h('details', { class: 'output', open: true }, h('summary', {}, 'Output'), h('pre', {}, json(current.output))) : null,
    );
  };

  const cancel = async (): Promise<void> => {
    const sure = await confirmDialog({ title: 'Cancel this execution?', text: `Running nodes of ${id} are cancelled, compensations run, and it ends cancelled.`, confirm: 'Cancel execution', danger: true });
    if (!sure) return;
    try {
      await context.api.post(`${base}/cancel`, {});
      fill(notice, h('p', { class: 'notice' }, 'Cancellation requested.'));
    } catch (error) {
      fill(notice, problem((error as Error).message));
    }
  };

  const refreshHeader = async (): Promise<void> => {
    const current = await context.api.get<ExecutionView>(base);
    view = current;
    let letter: DeadLetter | undefined;
    if (current.status === 'failed') {
      const letters = await context.api.get<DeadLetter[]>(withQuery('/api/v1/dlq', { graphId: current.graphId, all: 'true' })).catch(() => []);
      letter = letters.find((candidate) => candidate.executionId === current.executionId);
    }
    if (!stopped) drawHeader(current, letter);
  };

  const stepDetail = (step: StepView): string | undefined => {
    if (step.progress) return `${step.progress.completed + step.progress.failed}/${step.progress.total}`;
    // A resumed execution's step that kept the original's output: said on the node, as `wf status` does.
    if (step.reused) return 'reused';
    return step.attempts > 1 ? `${step.attempts} attempts` : undefined;
  };

  const applyStep = (nodeId: string, step: StepView): void => {
    steps[nodeId] = step;
    drawn?.setStatus(nodeId, step.status, stepDetail(step));
    if (selected === nodeId) void drawPanel(nodeId);
  };

  const drawPanel = async (nodeId: string): Promise<void> => {
    const node = nodes.get(nodeId);
    const step = steps[nodeId];
    const status = step?.status ?? 'pending';
    const child = view?.children?.filter((candidate) => candidate.nodeId === nodeId || candidate.nodeId.startsWith(`${nodeId}:`)) ?? [];
    const attemptsList = h('div', { class: 'attempts' }, step && step.attempts > 0 ? h('p', { class: 'muted' }, 'Loading attempts…') : null);
    fill(
      panel,
      h('h2', {}, h('code', {}, nodeId)),
      h('p', {}, node?.type ?? '', ' ', statusBadge(status, { id: 'node-status' })),
      node?.name ? h('p', {}, node.name) : null,
      h(
        'dl',
        {},
        h('dt', {}, 'Attempts'), h('dd', { id: 'node-attempts' }, String(step?.attempts ?? 0)),
        h('dt', {}, 'Started'), h('dd', {}, when(step?.startedAt)),
        h('dt', {}, 'Finished'), h('dd', {}, when(step?.finishedAt)),
        h('dt', {}, 'Took'), h('dd', {}, step?.startedAt ? duration(step.startedAt, step.finishedAt) : '—'),
        step?.progress ? [h('dt', {}, 'Items'), h('dd', {}, `${step.progress.completed} completed, ${step.progress.failed} failed of ${step.progress.total}`)] : null,
        step?.reused ? [h('dt', {}, 'Reused'), h('dd', {}, 'output reused from the execution it resumes')] : null,
        step?.local ? [h('dt', {}, 'Local'), h('dd', {}, 'ran as a local activity')] : null,
      ),
      errorBlock(step?.error, 'node-error'),
      child.length > 0 ? h('p', {}, 'Child execution: ', child.map((c) => [link(executionUrl(c.executionId), c.executionId), ' '])) : null,
      attemptsList,
    );
    if (!step || step.attempts === 0) return;
    try {
      const attempts = await context.api.get<StepAttempt[]>(`${base}/steps/${segment(nodeId)}/attempts`);
      if (selected !== nodeId) return;
      fill(
        attemptsList,
        attempts.length === 0
          ? h('p', { class: 'muted' }, 'This node ran inside the workflow: no activity attempts.')
          : h(
              'table',
              { class: 'list compact', id: 'attempts' },
              h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Status'), h('th', {}, 'Took'), h('th', {}, 'Error'))),
              h('tbody', {}, attempts.map((attempt) => h('tr', { 'data-attempt': attempt.attempt }, h('td', {}, attempt.kind === 'compensate' ? `undo ${attempt.attempt}` : String(attempt.attempt)), h('td', {}, statusBadge(attempt.status)), h('td', {}, duration(attempt.startedAt, attempt.finishedAt)), h('td', { class: 'attempt-error' }, attempt.error ? `${attempt.error.type ?? 'Error'}: ${attempt.error.message ?? ''}` : '')))),
            ),
      );
    } catch (error) {
      if (selected === nodeId) fill(attemptsList, problem((error as Error).message));
    }
  };

  const select = (nodeId: string): void => {
    selected = nodeId;
    drawn?.select(nodeId);
    void drawPanel(nodeId);
  };

  const setStreamState = (state: StreamState, detail?: string): void => {
    const text = { connecting: 'Connecting to live updates…', live: 'Live: statuses update as they change.', reconnecting: 'Live updates interrupted: reconnecting…', ended: 'The execution has ended.' }[state];
    streamState.textContent = detail ? `Live updates stopped: ${detail}` : text;
    streamState.setAttribute('data-stream', state);
  };

  const start = async (): Promise<void> => {
    let current: ExecutionView;
    try {
      current = await context.api.get<ExecutionView>(base);
    } catch (error) {
      fill(main, h('h1', {}, 'Execution ', h('code', {}, id)), problem((error as Error).message), h('p', {}, link(`${BASE}/executions`, 'All executions')));
      return;
    }
    if (!current.graphId) {
      if (!stopped) setTimeout(() => void start(), NOT_YET_MS);
      return;
    }
    view = current;
    drawHeader(current, undefined);
    void refreshHeader().catch(() => undefined);
    let graph: GraphDocument;
    try {
      graph = await context.api.get<GraphDocument>(`/api/v1/graphs/${segment(current.graphId)}/versions/${current.graphVersion}`);
    } catch (error) {
      fill(graphArea, problem(`The graph cannot be drawn: ${(error as Error).message}`));
      return;
    }
    for (const node of graph.nodes) nodes.set(node.id, node);
    const startedAt = performance.now();
    const layout = await layoutGraph(graph.nodes, graph.edges ?? []);
    if (stopped) return;
    drawn = drawGraph(layout, graph.nodes, select);
    fill(graphArea, drawn.element);
    // A graph wider or taller than its frame: offer to see all of it at once (scaled by the viewBox).
    if (layout.width > graphArea.clientWidth || layout.height > graphArea.clientHeight) {
      const toggle = h('button', { type: 'button', class: 'secondary graph-fit', id: 'graph-fit', 'aria-pressed': 'false' }, 'Fit to view');
      toggle.addEventListener('click', () => {
        const fitted = drawn!.element.classList.toggle('fitted');
        toggle.setAttribute('aria-pressed', String(fitted));
        toggle.textContent = fitted ? 'Actual size' : 'Fit to view';
      });
      graphColumn.prepend(h('div', { class: 'graph-tools' }, toggle, h('span', { class: 'muted' }, `${graph.nodes.length} nodes`)));
    }
    graphArea.setAttribute('data-drawn-ms', String(Math.round(performance.now() - startedAt)));
    for (const [nodeId, step] of Object.entries(current.steps)) applyStep(nodeId, step);
    stopStream = followEvents(context.api, `${base}/events`, {
      onEvent: (event) => {
        if (event.event === 'step') {
          const { nodeId, executionId: _executionId, ...step } = JSON.parse(event.data) as { nodeId: string; executionId: string } & StepView;
          applyStep(nodeId, step);
          if (view?.status === 'queued') void refreshHeader().catch(() => undefined);
        } else if (event.event === 'execution') {
          void refreshHeader().catch(() => undefined);
        }
      },
      onState: setStreamState,
    });
    if (TERMINAL.has(current.status)) setStreamState('connecting');
  };
  void start();

  return () => {
    stopped = true;
    stopStream?.();
  };
};

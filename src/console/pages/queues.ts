/**
 * /console/queues: the organization's concurrency keys with executions holding or waiting for
 * a slot, each with its live stats (the slots workflow's own answer), and a look-up for any key.
 */
import { segment } from '../api';
import { every, type Page } from '../context';
import { fill, h, loadOrNotice, problem, when } from '../dom';
import type { Route } from '../router';
import type { QueueInUse, QueueStats } from '../types';

const REFRESH_MS = 3000;

export const queuesPage: Page<Extract<Route, { page: 'queues' }>> = (main, context) => {
  const body = h('tbody');
  const notice = h('div');
  const lookupInput = h('input', { id: 'queue-key', type: 'search', placeholder: 'concurrency key', 'aria-label': 'concurrency key', spellcheck: 'false' });
  const lookupResult = h('div', { id: 'queue-lookup' });
  const statsOf = (ref: string): Promise<QueueStats> => context.api.get<QueueStats>(`/api/v1/actions/${segment(ref)}/queue-stats`);
  const row = (stats: QueueStats): HTMLTableRowElement =>
    h('tr', { 'data-queue': stats.ref }, h('td', {}, h('code', {}, stats.ref)), h('td', {}, stats.maxConcurrent === null ? '—' : String(stats.maxConcurrent)), h('td', { class: 'num' }, String(stats.active)), h('td', { class: 'num' }, String(stats.queued)), h('td', {}, when(stats.oldestQueuedAt)));
  const head = (): HTMLTableSectionElement => h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Max'), h('th', {}, 'Active'), h('th', {}, 'Queued'), h('th', {}, 'Oldest queued')));
  const lookup = async (): Promise<void> => {
    const ref = lookupInput.value.trim();
    if (!ref) return;
    try {
      fill(lookupResult, h('table', { class: 'list compact' }, head(), h('tbody', {}, row(await statsOf(ref)))));
    } catch (error) {
      fill(lookupResult, problem((error as Error).message));
    }
  };
  fill(
    main,
    h('h1', {}, 'Queues'),
    h('p', { class: 'muted' }, 'A graph with settings.concurrency runs at most max executions per key at once; the others queue.'),
    notice,
    h('table', { class: 'list', id: 'queues' }, head(), body),
    h('h2', {}, 'Look up a key'),
    h('form', { class: 'filters', onsubmit: (event: Event) => {
      event.preventDefault();
      void lookup();
    } }, lookupInput, h('button', { type: 'submit' }, 'Show')),
    lookupResult,
  );
  return every(REFRESH_MS, async () => {
    const stats = await loadOrNotice(notice, async () => {
      const queues = await context.api.get<QueueInUse[]>('/api/v1/queues');
      return Promise.all(queues.map((queue) => statsOf(queue.ref)));
    });
    if (!stats) return;
    fill(body, stats.length === 0 ? h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No execution holds or waits for a slot right now.')) : null, stats.map(row));
  });
};

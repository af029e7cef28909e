/**
 * /console/dead-letters?graphId=&all=true: executions that failed for good and wait for a
 * person (open, or being retried; with `all`, retried and purged ones too), newest first.
 */
import { every, type Page } from '../context';
import { fill, h, link, loadOrNotice, when } from '../dom';
import { BASE, deadLetterUrl, executionUrl, withQuery, type Route } from '../router';
import type { DeadLetter } from '../types';

const REFRESH_MS = 5000;

export const deadLettersPage: Page<Extract<Route, { page: 'dead-letters' }>> = (main, context, route) => {
  const graphId = route.query.get('graphId') ?? '';
  const all = route.query.get('all') === 'true';
  const graphInput = h('input', { id: 'filter-graph', type: 'search', placeholder: 'graph id', value: graphId, 'aria-label': 'graph id', spellcheck: 'false' });
  const allBox = h('input', { id: 'filter-all', type: 'checkbox', checked: all });
  const form = h('form', { class: 'filters', onsubmit: (event: Event) => {
    event.preventDefault();
    context.navigate(withQuery(`${BASE}/dead-letters`, { graphId: graphInput.value.trim() || undefined, all: allBox.checked ? 'true' : undefined }));
  } }, graphInput, h('label', {}, allBox, ' include retried and purged'), h('button', { type: 'submit' }, 'Filter'));
  const body = h('tbody');
  const notice = h('div');
  fill(
    main,
    h('h1', {}, 'Dead letters'),
    form,
    notice,
    h('table', { class: 'list', id: 'dead-letters' }, h('thead', {}, h('tr', {}, h('th', {}, 'Dead letter'), h('th', {}, 'Graph'), h('th', {}, 'Failed nodes'), h('th', {}, 'Error'), h('th', {}, 'Created'), h('th', {}, 'State'))), body),
  );
  const query = withQuery('/api/v1/dlq', { graphId: graphId || undefined, all: all ? 'true' : undefined });
  return every(REFRESH_MS, async () => {
    const letters = await loadOrNotice(notice, () => context.api.get<DeadLetter[]>(query));
    if (!letters) return;
    fill(
      body,
      letters.length === 0 ? h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No dead letters: nothing failed for good.')) : null,
      letters.map((letter) =>
        h(
          'tr',
          { 'data-dead-letter-id': letter.id, 'data-state': letter.status },
          h('td', {}, link(deadLetterUrl(letter.id), letter.id), h('div', { class: 'muted' }, 'execution ', link(executionUrl(letter.executionId), letter.executionId))),
          h('td', {}, letter.graphId, h('span', { class: 'muted' }, ` v${letter.graphVersion}`)),
          h('td', {}, letter.failedNodes.join(', ')),
          h('td', { class: 'error-cell' }, letter.error ? `${letter.error.type ?? 'Error'}: ${letter.error.node?.message ?? letter.error.message ?? ''}` : ''),
          h('td', {}, when(letter.createdAt)),
          h('td', {}, h('span', { class: `badge state-${letter.status}` }, letter.status)),
        ),
      ),
    );
  });
};

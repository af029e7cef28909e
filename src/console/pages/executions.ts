/**
 * /console/executions?status=&graphId=&limit=&cursor=: the organization's executions, newest
 * first, filtered by status and graph, paged by the API's keyset cursor (so the 10,000th is
 * as quick to reach as the 10th). The page shown is fetched again every few seconds: statuses
 * change live, and new executions appear on the first page.
 */
import { every, type Page } from '../context';
import { duration, fill, h, link, loadOrNotice, statusBadge, when } from '../dom';
import { BASE, executionUrl, withQuery, type Route } from '../router';
import { EXECUTION_STATUSES, type ExecutionPage } from '../types';

const REFRESH_MS = 2500;
const PAGE_SIZES = ['50', '100', '200'];
/** The cursors of the pages before this one (for "Previous") and each page's number, per filter; kept while the tab lives. */
const visited: { filter: string; cursors: string[]; numbers: Map<string, number> } = { filter: '', cursors: [], numbers: new Map([['', 1]]) };

export const executionsPage: Page<Extract<Route, { page: 'executions' }>> = (main, context, route) => {
  const status = route.query.get('status') ?? '';
  const graphId = route.query.get('graphId') ?? '';
  const limit = PAGE_SIZES.includes(route.query.get('limit') ?? '') ? route.query.get('limit')! : '50';
  const cursor = route.query.get('cursor') ?? '';
  const filterKey = `${status}|${graphId}|${limit}`;
  if (visited.filter !== filterKey) visited.numbers = new Map([['', 1]]);
  if (visited.filter !== filterKey || !cursor) visited.cursors = [];
  visited.filter = filterKey;
  const listUrl = (params: Record<string, string | undefined>): string => withQuery(`${BASE}/executions`, { status: status || undefined, graphId: graphId || undefined, limit: limit === '50' ? undefined : limit, ...params });

  const statusSelect = h('select', { id: 'filter-status', 'aria-label': 'status' }, h('option', { value: '' }, 'any status'), EXECUTION_STATUSES.map((s) => h('option', { value: s, selected: s === status }, s.replace('_', ' '))));
  const graphInput = h('input', { id: 'filter-graph', type: 'search', placeholder: 'graph id', value: graphId, 'aria-label': 'graph id', spellcheck: 'false' });
  const sizeSelect = h('select', { id: 'filter-limit', 'aria-label': 'page size' }, PAGE_SIZES.map((size) => h('option', { value: size, selected: size === limit }, `${size} a page`)));
  const form = h('form', { class: 'filters', onsubmit: (event: Event) => {
    event.preventDefault();
    context.navigate(withQuery(`${BASE}/executions`, { status: statusSelect.value || undefined, graphId: graphInput.value.trim() || undefined, limit: sizeSelect.value === '50' ? undefined : sizeSelect.value }));
  } }, statusSelect, graphInput, sizeSelect, h('button', { type: 'submit' }, 'Filter'));
  const body = h('tbody');
  const table = h('table', { class: 'list', id: 'executions' }, h('thead', {}, h('tr', {}, h('th', {}, 'Execution'), h('th', {}, 'Graph'), h('th', {}, 'Status'), h('th', {}, 'Created'), h('th', {}, 'Duration'))), body);
  const pager = h('nav', { class: 'pager', 'aria-label': 'pages' });
  const notice = h('div');
  fill(main, h('h1', {}, 'Executions'), form, notice, table, pager);

  const pageNumber = visited.numbers.get(cursor);
  const drawPager = (page: ExecutionPage): void => {
    const previous = visited.cursors.at(-1);
    if (page.nextCursor && pageNumber !== undefined) visited.numbers.set(page.nextCursor, pageNumber + 1);
    fill(
      pager,
      cursor ? link(listUrl({}), 'First page') : null,
      cursor && (previous || pageNumber === 2) ? h('a', { href: listUrl({ cursor: previous }), 'data-link': true, id: 'previous-page', onclick: () => visited.cursors.pop() }, '‹ Previous') : null,
      h('span', { id: 'page-number' }, pageNumber === undefined ? 'A later page' : `Page ${pageNumber}`),
      page.nextCursor ? h('a', { href: listUrl({ cursor: page.nextCursor }), 'data-link': true, id: 'next-page', onclick: () => cursor && visited.cursors.push(cursor) }, 'Next ›') : h('span', { id: 'last-page' }, 'last page'),
    );
  };
  const query = withQuery('/api/v1/executions', { status: status || undefined, graphId: graphId || undefined, limit, cursor: cursor || undefined });
  return every(REFRESH_MS, async () => {
    const page = await loadOrNotice(notice, () => context.api.get<ExecutionPage>(query));
    if (!page) return;
    fill(
      body,
      page.executions.length === 0 ? h('tr', {}, h('td', { colspan: 5, class: 'empty' }, status || graphId ? 'No execution matches these filters.' : 'No executions yet: run a graph (npx wf run examples/hello.json) and it shows here.')) : null,
      page.executions.map((execution) =>
        h(
          'tr',
          { 'data-execution-id': execution.executionId, 'data-status': execution.status },
          h('td', {}, link(executionUrl(execution.executionId), execution.executionId), execution.retryOf ? h('span', { class: 'muted' }, ' retry') : null),
          h('td', {}, link(listUrl({ graphId: execution.graphId }), execution.graphId), h('span', { class: 'muted' }, ` v${execution.graphVersion}`)),
          h('td', {}, statusBadge(execution.status)),
          h('td', {}, when(execution.createdAt)),
          h('td', {}, duration(execution.startedAt, execution.finishedAt)),
        ),
      ),
    );
    drawPager(page);
  });
};


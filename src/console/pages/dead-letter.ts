/**
 * /console/dead-letters/:id: one dead letter, its failed node(s) and error, and for an operator
 * the three ways out: retry from the start, resume at the failed node with edited input
 * (validated as JSON here before anything is sent), or purge (after a confirmation).
 */
import { segment } from '../api';
import { canOperate, type Page } from '../context';
import { confirmDialog } from '../dialog';
import { fill, h, json, link, problem, when } from '../dom';
import { errorBlock } from '../errors';
import { BASE, executionUrl, type Route } from '../router';
import type { DeadLetter, StartedExecution } from '../types';

export const deadLetterPage: Page<Extract<Route, { page: 'dead-letter' }>> = (main, context, route) => {
  const path = `/api/v1/dlq/${segment(route.id)}`;
  let stopped = false;

  const draw = (letter: DeadLetter): void => {
    const open = letter.status === 'open';
    const operate = canOperate(context.me.role) && open;
    const notice = h('div', { id: 'dlq-notice' });
    const inputText = json(letter.input ?? null);
    const textarea = h('textarea', { id: 'resume-input', rows: Math.min(16, Math.max(4, inputText.split('\n').length + 1)), spellcheck: 'false', 'aria-label': 'input for the resumed execution' });
    textarea.value = inputText;
    const inputProblem = h('div', { id: 'resume-input-problem' });

    const busy = (work: () => Promise<void>) => async (): Promise<void> => {
      for (const button of main.querySelectorAll<HTMLButtonElement>('button[data-action]')) button.disabled = true;
      try {
        await work();
      } catch (error) {
        fill(notice, problem((error as Error).message));
      } finally {
        for (const button of main.querySelectorAll<HTMLButtonElement>('button[data-action]')) button.disabled = false;
      }
    };
    const retried = (started: StartedExecution): void => context.navigate(executionUrl(started.executionId));
    const retry = busy(async () => retried(await context.api.post<StartedExecution>(`${path}/retry`, {})));
    const resume = busy(async () => {
      let input: unknown;
      try {
        input = JSON.parse(textarea.value);
      } catch (error) {
        textarea.setAttribute('aria-invalid', 'true');
        fill(inputProblem, problem(`The input is not valid JSON: ${(error as Error).message}. Fix it, then resume.`));
        return;
      }
      textarea.removeAttribute('aria-invalid');
      fill(inputProblem);
      retried(await context.api.post<StartedExecution>(`${path}/retry`, { resume: true, input }));
    });
    const purge = busy(async () => {
      const sure = await confirmDialog({ title: 'Purge this dead letter?', text: `${letter.id} leaves the list and cannot be retried afterwards. The audit keeps who purged it and when.`, confirm: 'Purge', danger: true });
      if (!sure) return;
      await context.api.delete(path);
      await load();
    });

    fill(
      main,
      h('p', {}, link(`${BASE}/dead-letters`, '‹ Dead letters')),
      h('h1', {}, 'Dead letter ', h('code', {}, letter.id), ' ', h('span', { class: `badge state-${letter.status}`, id: 'dead-letter-state' }, letter.status)),
      h('p', { class: 'meta' }, 'execution ', link(executionUrl(letter.executionId), letter.executionId), ` · graph ${letter.graphId} v${letter.graphVersion} · created ${when(letter.createdAt)}`),
      h('p', {}, 'Failed node', letter.failedNodes.length === 1 ? '' : 's', ': ', letter.failedNodes.map((node, index) => [index ? ', ' : '', h('code', { class: 'failed-node' }, node)])),
      errorBlock(letter.error, 'dead-letter-error'),
      letter.status === 'retried' && letter.retryExecutionId ? h('p', { class: 'notice' }, `Retried by ${letter.resolvedBy ?? 'someone'} at ${when(letter.resolvedAt)} as `, link(executionUrl(letter.retryExecutionId), letter.retryExecutionId)) : null,
      letter.status === 'purged' ? h('p', { class: 'notice' }, `Purged by ${letter.resolvedBy ?? 'someone'} at ${when(letter.resolvedAt)}.`) : null,
      letter.status === 'retrying' ? h('p', { class: 'notice' }, 'A retry is being started.') : null,
      notice,
      operate
        ? h(
            'section',
            { class: 'resume' },
            h('h2', {}, 'Resume with edited input'),
            h('p', { class: 'muted' }, 'Completed nodes keep their outputs and do not run again; the failed node and those after it run with this input.'),
            textarea,
            inputProblem,
            h('div', { class: 'actions' },
              h('button', { type: 'button', 'data-action': 'resume', onclick: () => void resume() }, 'Resume with this input'),
              h('button', { type: 'button', class: 'secondary', 'data-action': 'retry', onclick: () => void retry() }, 'Retry from the start'),
              h('button', { type: 'button', class: 'danger', 'data-action': 'purge', onclick: () => void purge() }, 'Purge…'),
            ),
          )
        : h('section', {}, h('h2', {}, 'Input of the failed execution'), h('pre', { id: 'dead-letter-input' }, inputText), open && !canOperate(context.me.role) ? h('p', { class: 'muted' }, `Your key's role (${context.me.role}) can read dead letters; retrying, resuming and purging need operator.`) : null),
    );
  };

  const load = async (): Promise<void> => {
    try {
      const letter = await context.api.get<DeadLetter>(path);
      if (!stopped) draw(letter);
    } catch (error) {
      if (!stopped) fill(main, h('h1', {}, 'Dead letter ', h('code', {}, route.id)), problem((error as Error).message), h('p', {}, link(`${BASE}/dead-letters`, 'All dead letters')));
    }
  };
  void load();
  return () => {
    stopped = true;
  };
};

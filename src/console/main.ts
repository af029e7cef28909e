/**
 * The console (DESIGN §13): a browser app served by the API at /console. Without a key in
 * this tab it asks for one first, whatever page the URL names, then draws that page; a key
 * refused later (revoked) brings the sign-in back. Every data call carries the key in the
 * Authorization header (api.ts), never in a URL.
 */
import './styles.css';
import { Api, type ApiError } from './api';
import { canOperate, type PageContext } from './context';
import { fill, h, link, problem } from './dom';
import { warmUpLayout } from './graph/layout';
import { deadLetterPage } from './pages/dead-letter';
import { deadLettersPage } from './pages/dead-letters';
import { executionPage } from './pages/execution';
import { executionsPage } from './pages/executions';
import { queuesPage } from './pages/queues';
import { signInPage } from './pages/sign-in';
import { BASE, parseRoute, startRouter, type Route } from './router';
import { forgetKey, storedKey, storeKey } from './session';
import type { ConsoleConfig, Identity } from './types';

const root = document.getElementById('app')!;
let session: { key: string; me: Identity; config: ConsoleConfig; api: Api } | undefined;
let stopPage: (() => void) | undefined;
let signInReason: string | undefined;

const router = startRouter(() => void render());

function signOut(reason?: string): void {
  forgetKey();
  session = undefined;
  signInReason = reason;
  void render();
}

async function openSession(key: string, known?: Identity): Promise<void> {
  const api = new Api(key, (error: ApiError) => signOut(`Signed out: ${error.message}`));
  const [me, config] = await Promise.all([known ? Promise.resolve(known) : api.get<Identity>('/api/v1/me'), api.get<ConsoleConfig>('/api/v1/console-config')]);
  session = { key, me, config, api };
  warmUpLayout();
}

function frame(route: Route, me: Identity): HTMLElement {
  const current = route.page === 'execution' ? 'executions' : route.page === 'dead-letter' ? 'dead-letters' : route.page;
  const tab = (page: string, label: string): HTMLElement => {
    const anchor = link(`${BASE}/${page}`, label);
    if (page === current) anchor.setAttribute('aria-current', 'page');
    return anchor;
  };
  const main = h('main', { id: 'page' });
  fill(
    root,
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'wf-engine'),
      h('nav', {}, tab('executions', 'Executions'), tab('dead-letters', 'Dead letters'), tab('queues', 'Queues')),
      h('span', { class: 'who', id: 'who', 'data-role': me.role }, `${me.organizationId} · ${me.role}${canOperate(me.role) ? '' : ' (read only)'}`),
      h('button', { type: 'button', class: 'secondary', id: 'sign-out', onclick: () => signOut() }, 'Sign out'),
    ),
    main,
  );
  return main;
}

async function render(): Promise<void> {
  stopPage?.();
  stopPage = undefined;
  const route = parseRoute(location);
  if (location.pathname.replace(/\/+$/, '') === BASE) history.replaceState(null, '', `${BASE}/executions${location.search}`);
  const key = storedKey();
  if (!key) {
    const main = h('main', { id: 'page' });
    fill(root, h('header', { class: 'top' }, h('span', { class: 'brand' }, 'wf-engine console')), main);
    signInPage(main, (newKey, me) => {
      storeKey(newKey);
      signInReason = undefined;
      void openSession(newKey, me).then(render, (error: Error) => signOut(error.message));
    }, signInReason);
    return;
  }
  if (!session || session.key !== key) {
    try {
      await openSession(key);
    } catch (error) {
      signOut((error as Error).message);
      return;
    }
  }
  const context: PageContext = { api: session!.api, me: session!.me, config: session!.config, navigate: router.navigate };
  const main = frame(route, context.me);
  switch (route.page) {
    case 'executions':
      stopPage = executionsPage(main, context, route) ?? undefined;
      break;
    case 'execution':
      stopPage = executionPage(main, context, route) ?? undefined;
      break;
    case 'dead-letters':
      stopPage = deadLettersPage(main, context, route) ?? undefined;
      break;
    case 'dead-letter':
      stopPage = deadLetterPage(main, context, route) ?? undefined;
      break;
    case 'queues':
      stopPage = queuesPage(main, context, route) ?? undefined;
      break;
    default:
      fill(main, h('h1', {}, 'Not found'), problem(`The console has no page at ${route.path}.`), h('p', {}, link(`${BASE}/executions`, 'Executions')));
  }
}

void render();

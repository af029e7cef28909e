/**
 * Asks for an API key before any page: checked with GET /api/v1/me, then kept in the tab's
 * sessionStorage (never in a URL). The page asked for stays in the address bar and shows next.
 */
import { Api, ApiError } from '../api';
import { fill, h, problem } from '../dom';
import type { Identity } from '../types';

export function signInPage(main: HTMLElement, onSignedIn: (key: string, me: Identity) => void, reason?: string): void {
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-label': 'API key', placeholder: 'wfk_key_…' });
  const message = h('div', { id: 'sign-in-problem' }, reason ? problem(reason) : null);
  const button = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  // No name on the field and no action: the key can never be submitted in a URL.
  const form = h('form', { class: 'sign-in', onsubmit: (event: Event) => {
    event.preventDefault();
    void submit();
  } }, h('label', { for: 'api-key' }, 'API key'), input, button);
  const submit = async (): Promise<void> => {
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    try {
      const me = await new Api(key).get<Identity>('/api/v1/me');
      onSignedIn(key, me);
    } catch (error) {
      const text = error instanceof ApiError && error.status === 403 ? `This key cannot read the console: ${error.message}` : (error as Error).message;
      fill(message, problem(text));
      input.select();
    } finally {
      button.disabled = false;
    }
  };
  fill(
    main,
    h('div', { class: 'sign-in-box' },
      h('h1', {}, 'Sign in'),
      h('p', {}, 'Enter an API key of your organization. It stays in this tab only (sessionStorage) and is sent with each request; closing the tab forgets it.'),
      h('p', { class: 'muted' }, 'npm start prints the first admin key; npx wf key create --org default --role viewer makes a read-only one.'),
      message,
      form,
    ),
  );
  input.focus();
}

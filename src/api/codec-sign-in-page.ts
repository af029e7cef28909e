/**
 * The HTML of /codec/sign-in: a form for an admin key (posted, never in a URL), and after
 * signing in the steps that make the Web UI send the session cookie. Every value put in the
 * page is escaped: the endpoint comes from the request's Host header.
 */

export interface SignInPageState {
  /** The /codec endpoint as this browser reached it, for the Web UI's browser setting. */
  endpoint: string;
  /** Signed in: who, and until when. */
  session?: { keyId: string; organizationId: string; expiresAt: Date };
  /** A refusal to show above the form. */
  problem?: string;
  /** Shown after signing out. */
  notice?: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}'
  + 'input{font:inherit;width:100%;padding:.4rem;box-sizing:border-box}button{font:inherit;padding:.4rem 1rem;margin-top:.6rem}'
  + '.problem{color:#a40e26}code{background:#eef;padding:0 .2rem}li{margin:.3rem 0}';

export function renderSignInPage(state: SignInPageState): string {
  const endpoint = escapeHtml(state.endpoint);
  const body = state.session
    ? `<p>Signed in with key <code>${escapeHtml(state.session.keyId)}</code> (organization <code>${escapeHtml(state.session.organizationId)}</code>) until ${escapeHtml(state.session.expiresAt.toISOString())}. This browser may now decode payloads at <code>${endpoint}</code>.</p>
<p>In the Temporal Web UI, once per browser:</p>
<ol>
<li>click the Codec Server icon at the top right;</li>
<li>choose <em>Use my browser setting and ignore Cluster-level setting</em> and enter <code>${endpoint}</code>;</li>
<li>tick <em>Include cross-origin credentials</em> and click <em>Apply</em>.</li>
</ol>
<p>Open the Web UI under the same host name as this page (<code>127.0.0.1</code> or <code>localhost</code>, not one for each): the session cookie is sent only within one site.</p>
<form method="post" action="sign-out"><button type="submit">Sign out</button></form>`
    : `${state.notice ? `<p>${escapeHtml(state.notice)}</p>` : ''}${state.problem ? `<p class="problem" role="alert">${escapeHtml(state.problem)}</p>` : ''}
<p>Sign in with an <strong>admin</strong> API key to let the Temporal Web UI decode the engine's encrypted payloads in this browser. The key itself is not kept: the browser keeps a sealed session cookie for 8 hours, sent only to <code>${endpoint}</code>.</p>
<form method="post" action="sign-in">
<label for="key">Admin API key</label>
<input id="key" name="key" type="password" autocomplete="off" required>
<button type="submit">Sign in</button>
</form>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Codec server sign-in · wf-engine</title><style>${STYLE}</style></head>
<body><h1>Codec server</h1>
${body}
</body></html>`;
}

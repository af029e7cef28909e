/**
 * The README's webhook verification snippet, as a user would copy it: the ```js block that
 * starts with `// verify-webhook.mjs`, written to a file and imported, so a test checks the
 * very code the README shows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type VerifyWebhook = (signingSecret: string, rawBody: string, headers: Record<string, unknown>, toleranceSeconds?: number) => boolean;

export async function readmeVerifier(): Promise<VerifyWebhook> {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const snippet = /```js\n(\/\/ verify-webhook\.mjs\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!snippet) throw new Error('README.md has no ```js block starting with // verify-webhook.mjs');
  const file = join(mkdtempSync(join(tmpdir(), 'wf-verify-')), 'verify-webhook.mjs');
  writeFileSync(file, snippet);
  const module = (await import(pathToFileURL(file).href)) as { verifyWebhook?: VerifyWebhook };
  if (typeof module.verifyWebhook !== 'function') throw new Error('the README snippet exports no verifyWebhook');
  return module.verifyWebhook;
}

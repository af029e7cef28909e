/**
 * `wf secret set | list | delete | reencrypt` (DESIGN §10): an organization's secrets,
 * straight in PostgreSQL like `wf org create`. A value is read from --value, --from-file or
 * stdin, sealed with the secrets key (src/cli/secrets-key.ts) and never printed or logged.
 */
import { readFileSync } from 'node:fs';
import { deleteSecret, listSecrets, secretNameProblem, secretValueProblem, setSecret } from '../../client/secrets';
import { reencryptSecrets } from '../../secrets/reencrypt';
import { CliError } from '../cli-error';
import { configWithOrg } from '../config-with-org';
import { EXIT } from '../exit-codes';
import { cliSecretCipher } from '../secrets-key';
import { requireOrganization, withDatabase } from './org';

type Out = (line: string) => void;

export interface SecretValueSource {
  value?: string;
  fromFile?: string;
}

/** Where stdin comes from, so that a terminal is refused rather than waited on. */
export interface Stdin {
  isTTY: boolean;
  read(): Promise<string>;
}

function checkedName(name: string): string {
  const problem = secretNameProblem(name);
  if (problem) throw new CliError(problem, EXIT.invalid);
  return name;
}

/** One trailing line break is the file's or the pipe's (`echo token |`), not the value's. */
const withoutFinalNewline = (text: string): string => text.replace(/\r?\n$/, '');

async function readValue(source: SecretValueSource, stdin: Stdin): Promise<string> {
  if (source.value !== undefined && source.fromFile !== undefined) throw new CliError('give the value with one of --value, --from-file or stdin, not several', EXIT.invalid);
  let value: string;
  if (source.value !== undefined) value = source.value;
  else if (source.fromFile !== undefined) {
    try {
      value = withoutFinalNewline(readFileSync(source.fromFile, 'utf8'));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new CliError(`cannot read --from-file ${source.fromFile}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`, EXIT.invalid);
    }
  } else {
    if (stdin.isTTY) throw new CliError('give the value with --value V, --from-file F, or on stdin (printf %s "$VALUE" | wf secret set NAME)', EXIT.invalid);
    value = withoutFinalNewline(await stdin.read());
  }
  const problem = secretValueProblem(value);
  if (problem) throw new CliError(problem, EXIT.invalid);
  return value;
}

export async function secretSetCommand(name: string, options: SecretValueSource & { org?: string }, stdin: Stdin, out: Out): Promise<number> {
  checkedName(name);
  const cipher = cliSecretCipher();
  const value = await readValue(options, stdin);
  const { organizationId } = configWithOrg(options.org);
  return withDatabase(async (db) => {
    await requireOrganization(db, organizationId);
    const stored = await setSecret(db, cipher, organizationId, name, value);
    out(`${stored === 'created' ? 'stored' : 'replaced'} secret ${name} in organization ${organizationId}`);
    return EXIT.ok;
  });
}

export async function secretListCommand(options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const { organizationId } = configWithOrg(options.org);
  return withDatabase(async (db) => {
    await requireOrganization(db, organizationId);
    const secrets = await listSecrets(db, organizationId);
    if (options.json) {
      out(JSON.stringify(secrets));
      return EXIT.ok;
    }
    if (secrets.length === 0) out(`no secrets in organization ${organizationId}`);
    for (const secret of secrets) out(`${secret.name}  updated ${secret.updatedAt}  created ${secret.createdAt}`);
    return EXIT.ok;
  });
}

export async function secretDeleteCommand(name: string, options: { org?: string }, out: Out): Promise<number> {
  checkedName(name);
  const { organizationId } = configWithOrg(options.org);
  return withDatabase(async (db) => {
    if (!(await deleteSecret(db, organizationId, name))) throw new CliError(`no secret "${name}" in organization "${organizationId}"`, EXIT.invalid);
    out(`deleted secret ${name} from organization ${organizationId}`);
    return EXIT.ok;
  });
}

/** Exit 1 when a value could not be opened with WF_SECRETS_KEY or WF_SECRETS_KEY_PREVIOUS (each named on stderr). */
export async function secretReencryptCommand(out: Out, err: Out): Promise<number> {
  const cipher = cliSecretCipher();
  return withDatabase(async (db) => {
    const result = await reencryptSecrets(db, cipher);
    out(`resealed ${result.resealed} secret${result.resealed === 1 ? '' : 's'} with key ${cipher.currentKeyId} (${result.current} already sealed with it)`);
    for (const failed of result.failed) err(`wf: secret ${failed.name} of organization ${failed.organizationId} was not resealed: ${failed.reason}`);
    return result.failed.length > 0 ? EXIT.executionFailed : EXIT.ok;
  });
}

/** All of stdin as text. */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

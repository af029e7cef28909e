import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes';
import { CliError } from './cli-error';

/** Reads and parses a JSON file; a missing file or bad JSON is a usage problem (exit 2). */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(`cannot read ${what} ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`, EXIT.invalid);
  }
  return parseJson(text, `${what} ${path}`);
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}`, EXIT.invalid, ['  $: expected a JSON document']);
  }
}

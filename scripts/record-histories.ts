/**
 * `npm run histories:record [-- NAME...] [--out DIR] [--verbose]`: records the histories of the
 * representative graphs into test/histories/ (see src/replay/record.ts), on a throwaway
 * Temporal dev server and PostgreSQL that it stops again. `npm test` replays them.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { recordHistories } from '../src/replay/record';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, verbose: { type: 'boolean' } } });
const outDir = values.out ?? fileURLToPath(new URL('../test/histories', import.meta.url));
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const started = Date.now();

recordHistories({ outDir, only: positionals, say, verbose: values.verbose }).then(
  ({ recorded }) => {
    say(`recorded ${recorded.length} histor${recorded.length === 1 ? 'y' : 'ies'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`histories:record: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

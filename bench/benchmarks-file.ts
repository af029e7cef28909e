/**
 * BENCHMARKS.md's level-2 sections, for the benchmarks that write one section of the file and
 * must leave the others as they are (`npm run bench:knowledge`), and for `npm run bench`,
 * which rewrites the file but keeps the sections of the parts it did not run.
 */
import { existsSync, readFileSync } from 'node:fs';

/** Written by `npm run bench:console` (bench/console-draw.ts), before the CLI start-up section. */
export const CONSOLE_HEADING = '## Console: drawing a graph';
/** Written by `npm run bench:cli` (bench/cli-startup.ts), by hand into the file: the last section. */
export const CLI_STARTUP_HEADING = '## CLI start-up';

/** The sections other benchmarks write into the file, in the order they stand there. */
export const OTHER_BENCHMARK_HEADINGS = [CONSOLE_HEADING, CLI_STARTUP_HEADING] as const;

/**
 * The sections other benchmarks write, from the first of them to the end of the file: `npm run
 * bench` keeps them as they are when it rewrites the rest.
 */
export function sectionsOfOthers(existing: string): string {
  const starts = OTHER_BENCHMARK_HEADINGS.map((heading) => bounds(existing, heading)?.[0]).filter((at) => at !== undefined);
  return starts.length === 0 ? '' : `\n${existing.slice(Math.min(...starts))}`;
}

export function readBenchmarks(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** [start, end) of the section under `heading` (a `## ` line) up to the next `## ` line, if there is one. */
function bounds(text: string, heading: string): [number, number] | undefined {
  let start: number;
  if (text.startsWith(`${heading}\n`)) start = 0;
  else {
    const at = text.indexOf(`\n${heading}\n`);
    if (at < 0) return undefined;
    start = at + 1;
  }
  const next = text.indexOf('\n## ', start);
  return [start, next < 0 ? text.length : next + 1];
}

/** The section under `heading`, ending in one newline; undefined when the file has none. */
export function sectionOf(text: string, heading: string): string | undefined {
  const found = bounds(text, heading);
  return found ? `${text.slice(found[0], found[1]).trimEnd()}\n` : undefined;
}

/**
 * `text` with the section under `heading` replaced by `section` (which starts with that
 * heading); a file without it gets it before the first of the `before` sections it has, or at the end.
 */
export function withSection(text: string, heading: string, section: string, before: string | readonly string[] = []): string {
  const body = `${section.trimEnd()}\n`;
  const found = bounds(text, heading);
  if (found) return `${text.slice(0, found[0])}${body}${found[1] < text.length ? '\n' : ''}${text.slice(found[1])}`;
  const next = (typeof before === 'string' ? [before] : before)
    .map((candidate) => bounds(text, candidate))
    .filter((candidate) => candidate !== undefined)
    .sort((a, b) => a[0] - b[0])[0];
  if (next) return `${text.slice(0, next[0])}${body}\n${text.slice(next[0])}`;
  return text.length === 0 ? body : `${text.trimEnd()}\n\n${body}`;
}

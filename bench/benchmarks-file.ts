/**
 * BENCHMARKS.md's level-2 sections, for the benchmarks that write one section of the file and
 * must leave the others as they are (`npm run bench:knowledge`), and for `npm run bench`,
 * which rewrites the file but keeps the sections of the parts it did not run.
 */
import { existsSync, readFileSync } from 'node:fs';

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
 * heading); a file without it gets it before the `before` section, or at the end.
 */
export function withSection(text: string, heading: string, section: string, before?: string): string {
  const body = `${section.trimEnd()}\n`;
  const found = bounds(text, heading);
  if (found) return `${text.slice(0, found[0])}${body}${found[1] < text.length ? '\n' : ''}${text.slice(found[1])}`;
  const next = before ? bounds(text, before) : undefined;
  if (next) return `${text.slice(0, next[0])}${body}\n${text.slice(next[0])}`;
  return text.length === 0 ? body : `${text.trimEnd()}\n\n${body}`;
}

/**
 * The JSON body parser: Fastify's own (with its __proto__ and constructor poisoning checks),
 * after a scan of the text that refuses a body nested deeper than BODY_DEPTH. The scan is a
 * loop over characters, so nothing recursive (the poisoning check, zod, CEL conversion,
 * hashing) ever sees a body like an input nested 3,000 levels deep, which once answered 500
 * "Maximum call stack size exceeded". It does not validate JSON; the parser after it does.
 */
import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../client/errors';
import { depthProblem } from '../workflows/graph/json-limits';
import { jsonPath } from '../workflows/graph/json-path';
import { LIMITS } from '../workflows/graph/sizes';

/** A body wraps a graph document, an input or a payload (LIMITS.jsonDepth levels) in at most one object. */
export const BODY_DEPTH = LIMITS.jsonDepth + 1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

interface Container {
  array: boolean;
  /** Arrays: the index of the current element. */
  index: number;
  /** Objects: where the current key's string starts and ends in the text. */
  key?: [number, number];
}

/** Index of the quote closing the string that opens at `start` (text.length when unterminated). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i;
  }
  return text.length;
}

function keyOf(text: string, [start, end]: [number, number]): string {
  try {
    return String(JSON.parse(text.slice(start, end + 1)));
  } catch {
    return text.slice(start + 1, end);
  }
}

/** The JSON path (under `base`) of the first array or object nested deeper than `maxDepth`; undefined when none is. */
export function tooDeepAt(text: string, maxDepth: number, base = '$'): string | undefined {
  const open: Container[] = [];
  let lastString: [number, number] | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const end = stringEnd(text, i);
      lastString = [i, end];
      i = end;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (open.length >= maxDepth) return jsonPath(base, open.map((container) => (container.array ? container.index : container.key ? keyOf(text, container.key) : '?')));
      open.push({ array: code === OPEN_ARRAY, index: 0 });
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      open.pop();
    } else if (code === COMMA) {
      const top = open.at(-1);
      if (top?.array) top.index++;
    } else if (code === COLON) {
      const top = open.at(-1);
      if (top && !top.array) top.key = lastString;
    }
  }
  return undefined;
}

/** Replaces Fastify's application/json parser with the depth scan followed by that same parser. */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const at = tooDeepAt(body as string, BODY_DEPTH, '$.body');
    if (at) return done(new InvalidRequestError('request body is nested too deeply', [depthProblem(at, BODY_DEPTH)]), undefined);
    void parseJson(request, body as string, done);
  });
}

/**
 * The default embedder (DESIGN §12): feature hashing of normalized tokens (below) into 256
 * dimensions, L2-normalized. Deterministic and local, so ingest and retrieval need no
 * network, tests can predict scores, and two workers always agree.
 */
import { l2Normalize, type Embedder } from './embedder';

/**
 * Common English words that say nothing about a text's subject: left out, or "a" and "the"
 * would decide which chunk looks most like a question.
 */
const STOP_WORDS = new Set(
  'a an and are as at be been but by can did do does for from had has have how i if in into is it its me my no not of on or our so than that the their them then there these they this to was we were what when where which who why will with would you your'.split(' '),
);

/** `refunds` and `refund` are one feature: a plain plural s is dropped (not from -ss, -us, -is words). */
function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word) ? word.slice(0, -1) : word;
}

/** The normalized tokens: lower-cased NFKC words of letters and digits (any script), stop words out, plurals singular. */
export function tokens(text: string): string[] {
  const words = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => !STOP_WORDS.has(word)).map(singular);
}

/** FNV-1a, 32 bits, over the UTF-16 code units: fast and stable across platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** One text's vector: each token adds ±1 at its hashed index (the sign from another bit, so collisions cancel rather than pile up). */
export function hashEmbed(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const token of tokens(text)) {
    const hash = fnv1a(token);
    vector[hash % dimensions]! += hash & 0x80000000 ? -1 : 1;
  }
  return l2Normalize(vector);
}

export function hashEmbedder(dimensions: number): Embedder {
  return {
    dimensions,
    embed: (texts) => Promise.resolve(texts.map((text) => hashEmbed(text, dimensions))),
  };
}

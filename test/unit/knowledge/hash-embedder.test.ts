import { describe, expect, test } from 'vitest';
import { hashEmbed, hashEmbedder, tokens } from '../../../src/knowledge/hash-embedder';

const dot = (a: number[], b: number[]): number => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

describe('the hash embedder', () => {
  test('normalizes tokens: NFKC, lower case, stop words out, plain plurals singular', () => {
    expect(tokens('The REFUNDS of ﬁve Cafés, and the class!')).toEqual(['refund', 'five', 'café', 'class']);
  });

  test('vectors are 256 numbers of length 1, the same for the same text, on every call', async () => {
    const vector = hashEmbed('Invoices are sent monthly', 256);
    expect(vector).toHaveLength(256);
    expect(dot(vector, vector)).toBeCloseTo(1, 10);
    expect(await hashEmbedder(256).embed(['Invoices are sent monthly'])).toEqual([vector]);
  });

  test('shared words score higher than none; word order does not matter', () => {
    const query = hashEmbed('refund policy', 256);
    expect(dot(query, hashEmbed('our policy on refunds', 256))).toBeGreaterThan(0.9);
    expect(dot(query, hashEmbed('policy refund', 256))).toBeCloseTo(1, 10);
    expect(Math.abs(dot(query, hashEmbed('trains leave hourly', 256)))).toBeLessThan(0.5);
  });

  test('a text without words is the zero vector: it matches nothing', () => {
    expect(hashEmbed('?! the a', 256).every((value) => value === 0)).toBe(true);
  });
});

import { describe, expect, test } from 'vitest';
import { CHUNK_CHARS, chunkDocument, MAX_CHUNKS_PER_DOCUMENT } from '../../../src/knowledge/chunker';
import { documentKind } from '../../../src/knowledge/document-kind';
import { KnowledgeInputError } from '../../../src/knowledge/errors';

describe('chunkDocument', () => {
  test('packs paragraphs up to the chunk size, never splitting one that fits', () => {
    const paragraph = 'word '.repeat(70).trim(); // 349 characters
    const chunks = chunkDocument('a.txt', 'text', [paragraph, paragraph, paragraph, paragraph].join('\n\n'));
    expect(chunks).toEqual([`${paragraph}\n\n${paragraph}`, `${paragraph}\n\n${paragraph}`]);
  });

  test('a Markdown heading starts a chunk and stays with the text under it; code fences keep their blank lines', () => {
    const chunks = chunkDocument('a.md', 'markdown', '# One\n\nfirst\n\n## Two\n\n```\ncode\n\nmore code\n```\n\nafter');
    expect(chunks).toEqual(['# One\n\nfirst', '## Two\n\n```\ncode\n\nmore code\n```\n\nafter']);
  });

  test('a paragraph longer than a chunk is cut at sentence ends, every piece within the size', () => {
    const sentence = 'This sentence has exactly a few words in it. ';
    const chunks = chunkDocument('a.txt', 'text', sentence.repeat(60));
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_CHARS);
      expect(chunk.endsWith('.')).toBe(true);
    }
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(sentence.repeat(60).trim());
  });

  test('a word longer than a chunk is cut anywhere, losing nothing', () => {
    const chunks = chunkDocument('a.txt', 'text', 'x'.repeat(CHUNK_CHARS * 2 + 5));
    expect(chunks.map((chunk) => chunk.length)).toEqual([CHUNK_CHARS, CHUNK_CHARS, 5]);
  });

  test('JSON becomes path: value lines in document order', () => {
    expect(chunkDocument('a.json', 'json', '{"a": {"b": [1, "two"]}, "c d": null}')).toEqual(['$.a.b[0]: 1\n\n$.a.b[1]: two\n\n$["c d"]: null']);
  });

  test('refuses malformed JSON, text-less documents and too many chunks', () => {
    expect(() => chunkDocument('a.json', 'json', '{')).toThrow(KnowledgeInputError);
    expect(() => chunkDocument('a.json', 'json', '{}')).toThrow(/has no text to index/);
    expect(() => chunkDocument('a.txt', 'text', 'y'.repeat(CHUNK_CHARS * (MAX_CHUNKS_PER_DOCUMENT + 1)))).toThrow(/at most 2000 are taken/);
  });
});

describe('documentKind', () => {
  test('from the extension, any case; no extension is text; others are refused', () => {
    expect(documentKind('README.MD')).toBe('markdown');
    expect(documentKind('notes.markdown')).toBe('markdown');
    expect(documentKind('data.json')).toBe('json');
    expect(documentKind('LICENSE')).toBe('text');
    expect(documentKind('scan.pdf', 'text')).toBe('text');
    expect(() => documentKind('scan.pdf')).toThrow(/only text \(\.txt\), Markdown \(\.md\) and JSON \(\.json\)/);
  });
});

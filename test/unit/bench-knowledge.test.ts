/**
 * The knowledge bench's pure parts: its documents make exactly one chunk per paragraph and
 * are the same every run, its queries come from their source chunk, the workflow overlap count,
 * and the section splicing that lets `npm run bench:knowledge` rewrite only its own section.
 */
import { describe, expect, it } from 'vitest';
import { OTHER_BENCHMARK_HEADINGS, sectionOf, sectionsOfOthers, withSection } from '../../bench/benchmarks-file';
import { mostAtOnce } from '../../bench/knowledge-ingest';
import { benchDocument, benchQueries, documentText } from '../../bench/knowledge-text';
import { chunkDocument } from '../../src/knowledge/chunker';

describe('bench documents and queries', () => {
  it('a document of N paragraphs is N chunks, each chunk one paragraph', () => {
    for (const index of [0, 1, 7, 123]) {
      const document = benchDocument(50_000, index, 100);
      expect(chunkDocument(document.name, 'text', documentText(document))).toEqual(document.paragraphs);
    }
    const short = benchDocument(1000, 3, 17);
    expect(chunkDocument(short.name, 'text', documentText(short))).toHaveLength(17);
  });

  it('the same arguments give the same text; another document or corpus gives other text', () => {
    expect(benchDocument(1000, 4, 5)).toEqual(benchDocument(1000, 4, 5));
    // Fewer paragraphs are the first ones of the longer document (queries rebuild only what they need).
    expect(benchDocument(1000, 4, 100).paragraphs.slice(0, 5)).toEqual(benchDocument(1000, 4, 5).paragraphs);
    expect(benchDocument(1000, 5, 5).paragraphs[0]).not.toBe(benchDocument(1000, 4, 5).paragraphs[0]);
    expect(benchDocument(2000, 4, 5).paragraphs[0]).not.toBe(benchDocument(1000, 4, 5).paragraphs[0]);
  });

  it('a query is 3-5 words of its source paragraph, its focus words (those it uses) among them', () => {
    const queries = benchQueries(1000, 10, () => 100, 50);
    expect(queries).toEqual(benchQueries(1000, 10, () => 100, 50));
    for (const query of queries) {
      const source = benchDocument(1000, query.document, query.ordinal + 1);
      const words = new Set(source.paragraphs[query.ordinal]!.toLowerCase().match(/[a-z]+/g));
      const asked = query.text.split(' ');
      expect(asked.length).toBeGreaterThanOrEqual(3);
      expect(asked.length).toBeLessThanOrEqual(5);
      for (const word of asked) expect(words.has(word)).toBe(true);
      for (const word of source.focus[query.ordinal]!.filter((focus) => words.has(focus))) expect(asked).toContain(word);
    }
  });
});

describe('workflows at once', () => {
  it('counts the most spans open at one instant; one ending as another starts does not overlap it', () => {
    expect(mostAtOnce([])).toBe(0);
    expect(mostAtOnce([[0, 10], [5, 15], [6, 7], [20, 30]])).toBe(3);
    expect(mostAtOnce([[0, 10], [10, 20], [20, 30]])).toBe(1);
  });
});

describe('BENCHMARKS.md sections', () => {
  const file = '# Benchmarks\n\nintro\n\n## Mirror lag\n\nlag table\n\n## CLI start-up\n\ncli table\n';

  it('a file without the section gets it before the named one, the rest unchanged', () => {
    const written = withSection(file, '## Knowledge', '## Knowledge\n\nnew\n', '## CLI start-up');
    expect(written).toBe('# Benchmarks\n\nintro\n\n## Mirror lag\n\nlag table\n\n## Knowledge\n\nnew\n\n## CLI start-up\n\ncli table\n');
    expect(withSection('# Benchmarks\n', '## Knowledge', '## Knowledge\n\nnew\n', '## CLI start-up')).toBe('# Benchmarks\n\n## Knowledge\n\nnew\n');
    expect(withSection('', '## Knowledge', '## Knowledge\n\nnew\n')).toBe('## Knowledge\n\nnew\n');
  });

  it('an existing section is replaced in place, and only it', () => {
    const once = withSection(file, '## Knowledge', '## Knowledge\n\nfirst\n\n### Sub\n\nmore\n', '## CLI start-up');
    const twice = withSection(once, '## Knowledge', '## Knowledge\n\nsecond\n', '## CLI start-up');
    expect(twice).toBe(withSection(file, '## Knowledge', '## Knowledge\n\nsecond\n', '## CLI start-up'));
    expect(sectionOf(once, '## Knowledge')).toBe('## Knowledge\n\nfirst\n\n### Sub\n\nmore\n');
    // Last in the file: replaced up to the end.
    expect(withSection('# B\n\n## Knowledge\n\nold\n', '## Knowledge', '## Knowledge\n\nnew\n')).toBe('# B\n\n## Knowledge\n\nnew\n');
  });

  it('goes before the first of several named sections the file has; npm run bench keeps those sections', () => {
    const withConsole = withSection(file, '## Console: drawing a graph', '## Console: drawing a graph\n\ndraw table\n', '## CLI start-up');
    expect(withConsole).toBe('# Benchmarks\n\nintro\n\n## Mirror lag\n\nlag table\n\n## Console: drawing a graph\n\ndraw table\n\n## CLI start-up\n\ncli table\n');
    expect(withSection(withConsole, '## Knowledge', '## Knowledge\n\nnew\n', OTHER_BENCHMARK_HEADINGS)).toContain('## Knowledge\n\nnew\n\n## Console: drawing a graph');
    expect(withSection(file, '## Knowledge', '## Knowledge\n\nnew\n', OTHER_BENCHMARK_HEADINGS)).toContain('## Knowledge\n\nnew\n\n## CLI start-up');
    expect(sectionsOfOthers(withConsole)).toBe('\n## Console: drawing a graph\n\ndraw table\n\n## CLI start-up\n\ncli table\n');
    expect(sectionsOfOthers(file)).toBe('\n## CLI start-up\n\ncli table\n');
    expect(sectionsOfOthers('# Benchmarks\n\n## Mirror lag\n\nx\n')).toBe('');
  });

  it('a heading is matched whole, not as the start of another', () => {
    expect(sectionOf('# B\n\n## Knowledge base\n\nx\n', '## Knowledge')).toBeUndefined();
    expect(sectionOf(file, '## Knowledge')).toBeUndefined();
  });
});

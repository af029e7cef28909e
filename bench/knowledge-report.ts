/** The knowledge bench's tables (stdout) and its section of BENCHMARKS.md. */
import type { KnowledgeResults } from './knowledge-run';
import { fmt } from './stats';

export const KNOWLEDGE_HEADING = '## Knowledge';
export const NO_PGVECTOR = 'not available on this server (embedded Postgres without the vector extension)';

const thousands = (value: number): string => value.toLocaleString('en-US');

export function knowledgeIngestTable(results: KnowledgeResults): string {
  return [
    '| corpus (chunks) | documents ingested | chunks ingested | ingest calls | seconds | chunks/s | documents/s | ingest workflows at once (most) | one workflow, p50 ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.sizes.map(({ chunks, ingest: i }) => `| ${thousands(chunks)} | ${i.documents} | ${thousands(i.chunks)} | ${i.calls} | ${fmt(i.seconds, 2)} | **${fmt(i.chunksPerSecond, 0)}** | ${fmt(i.documents / i.seconds, 1)} | ${i.maxConcurrentWorkflows} | ${fmt(i.workflowMsP50, 0)} |`),
  ].join('\n');
}

/** Empty when every corpus was ingested whole. */
export function knowledgeBulkTable(results: KnowledgeResults): string {
  const loaded = results.sizes.filter((size) => size.bulk);
  if (loaded.length === 0) return '';
  return [
    '| corpus (chunks) | documents bulk-loaded | chunks | seconds | chunks/s |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...loaded.map(({ chunks, bulk: b }) => `| ${thousands(chunks)} | ${b!.documents} | ${thousands(b!.chunks)} | ${fmt(b!.seconds, 1)} | ${fmt(b!.chunksPerSecond, 0)} |`),
  ].join('\n');
}

export function knowledgeRetrievalTable(results: KnowledgeResults): string {
  const lines = [
    `| corpus (chunks) | search path | timed through | queries | mean ms | p50 ms | p99 ms | max ms | source chunk in top ${results.settings.topK} |`,
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { chunks, retrieval } of results.sizes) {
    for (const row of retrieval) {
      const queries = `${row.queries}${row.stoppedByBudget ? ` (budget of ${results.settings.budgetSeconds} s reached)` : ''}`;
      lines.push(`| ${thousands(chunks)} | ${row.path} | ${row.via} | ${queries} | ${fmt(row.meanMs)} | **${fmt(row.p50Ms)}** | **${fmt(row.p99Ms)}** | ${fmt(row.maxMs)} | ${fmt(row.sourceInTopK * 100, 0)}% |`);
    }
    if (!results.withVector) lines.push(`| ${thousands(chunks)} | pgvector | ${NO_PGVECTOR} | - | - | - | - | - | - |`);
  }
  return lines.join('\n');
}

export function knowledgeTables(results: KnowledgeResults): string {
  const bulk = knowledgeBulkTable(results);
  return [knowledgeIngestTable(results), ...(bulk ? [bulk] : []), knowledgeRetrievalTable(results)].join('\n\n');
}

export function knowledgeMarkdown(results: KnowledgeResults, command: string, machine: Record<string, string>): string {
  const s = results.settings;
  const bulk = knowledgeBulkTable(results);
  return `${KNOWLEDGE_HEADING}

Knowledge corpora (DESIGN §12): how fast documents are ingested, and how long a top-${s.topK} retrieval takes
over ${s.sizes.map(thousands).join(' and ')} chunks (bench/knowledge.ts and bench/knowledge-*.ts). \`npm run bench:knowledge\`
runs only this part and rewrites only this section; \`npm run bench\` runs it after everything else
(\`BENCH_KNOWLEDGE=0\` skips it and keeps this section as it was).

- Date: ${results.date}
- Command: \`${command}\`
- Machine: ${Object.entries(machine).map(([k, v]) => `${k}: ${v}`).join('; ')}
- Settings: sizes ${s.sizes.map(thousands).join(', ')} chunks (\`BENCH_KNOWLEDGE_CHUNKS\`), at most ${thousands(s.ingestChunks)} chunks of each through the
  ingest workflows (\`BENCH_KNOWLEDGE_INGEST_CHUNKS\`), ${s.queries} timed queries per size after ${s.warmup} warm-up
  (\`BENCH_KNOWLEDGE_QUERIES\`), stopped after ${s.budgetSeconds} s per search path once ${s.minQueries} were asked (\`BENCH_KNOWLEDGE_QUERY_SECONDS\`);
  the default embedder (feature hashing, 256 dimensions); pgvector: ${results.withVector ? 'present (the `embedding_vector` column and its HNSW index)' : NO_PGVECTOR}
- Time for this part: ${fmt(results.totalSeconds, 0)} s; 1-minute load average ${fmt(results.loadAverage.start, 1)} when it started, ${fmt(results.loadAverage.end, 1)} when it ended
  (${machine.nproc ?? '?'} cores, which this part itself keeps busy: a figure well above that means other work competed for them)

The corpora: one per size, of documents of ${s.chunksPerDocument} paragraphs, each paragraph one chunk (${fmt(results.chunkChars.mean, 0)}
characters on average, ${results.chunkChars.min}-${results.chunkChars.max}; chunks are at most 800). The text is deterministic
pseudo-random English-like prose (bench/knowledge-text.ts): sentences drawn from a vocabulary of common words
with a Zipf-like skew, a fifth of their words from the document's topic (six subject words) and about an eighth
from the paragraph's own two focus words, so that chunks differ in what they are about. Each query is a random
chunk's focus words (those it uses) and more of its words, 3-5 in all (not the commonest): that chunk is its source.

### Ingest throughput

The product path: plain-text documents given to \`EngineClient.knowledge.ingest\` in calls of ${s.documentsPerCall} (all calls at
once; each call checks its documents, stores them and starts one knowledge-ingest workflow per document), the
bench's one in-process worker (SDK default slots; under \`npm run bench\` the one the other parts used, idle by
then) cutting, embedding and storing each document in its activity; timed from the first call until
\`waitForDocument\` saw the last document ready. The corpora are made one after the other, smallest first. "At once" is the most ingest workflows open at one instant, from their start and close times in
Temporal; "one workflow" is a workflow's own time from start to close.

${knowledgeIngestTable(results)}
${
  bulk
    ? `
The rest of each larger corpus is bulk-loaded, **not** through the product path: the same store functions the
ingest activity calls (\`insertDocument\`, then the chunker, the embedder and \`completeDocument\` in one
transaction per document), ${s.loaders} documents at a time, without Temporal. Only to have the chunks to search:

${bulk}
`
    : ''
}
### Retrieval latency

One query at a time on the driver's pool, through \`retrieve()\` (src/knowledge/retrieve.ts: find the corpus,
embed the query, search, top ${s.topK}), the call a \`knowledge.retrieve\` node or \`wf knowledge search\` makes. The
arrays path scores every chunk of the corpus exactly in SQL (a full scan of its rows, reading only the query's
non-zero dimensions of each chunk's array); pgvector, where the server has it, picks candidates by its own distance
(every chunk up to 20,000, its HNSW index above) that are then scored like the arrays. Wall time per query as the caller sees it; p50 and p99 nearest rank (with fewer than 100
queries, p99 is the slowest). "Source chunk in top ${s.topK}": how often the chunk a query's words were taken from came back.

${knowledgeRetrievalTable(results)}
`;
}

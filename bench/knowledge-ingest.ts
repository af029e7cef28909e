/**
 * Ingest throughput on the product's own path: documents handed to
 * `EngineClient.knowledge.ingest` (which stores each and starts its knowledge-ingest
 * workflow), the bench worker cutting, embedding and storing them, timed from the first call
 * until `waitForDocument` saw the last one ready. The calls go out all at once, DOCUMENTS_PER_CALL
 * documents each, so the worker has as many workflows at hand as a bulk upload gives it; how
 * many of them were open at the same time is read afterwards from their start and close times.
 */
import type { Client } from '@temporalio/client';
import type { EngineClient } from '../src/client';
import type { CorpusRow } from '../src/store/knowledge/corpus-row';
import { benchDocument, documentText } from './knowledge-text';
import { median } from './stats';

/** Documents per `knowledge.ingest` call (each call stores and starts its documents one after another). */
export const DOCUMENTS_PER_CALL = 10;

export interface IngestDeps {
  engine: EngineClient;
  temporal: Client;
  organizationId: string;
}

export interface IngestMeasurement {
  documents: number;
  chunks: number;
  calls: number;
  seconds: number;
  chunksPerSecond: number;
  /** The most ingest workflows open at once (Temporal's start and close times). */
  maxConcurrentWorkflows: number;
  /** One workflow's time from start to close, p50 (ms). */
  workflowMsP50: number;
}

export interface Ingested {
  measurement: IngestMeasurement;
  corpus: CorpusRow;
  /** Document index -> document id. */
  documentIds: Map<number, string>;
}

/** Ingests documents `0..documents-1` of corpus `seed` (`paragraphsOf(i)` chunks each) into `corpus`, measured. */
export async function measureIngest(deps: IngestDeps, corpus: string, seed: number, documents: number, paragraphsOf: (document: number) => number): Promise<Ingested> {
  // Made before the clock starts: the text is the caller's, not the engine's, work.
  const all = Array.from({ length: documents }, (_, index) => {
    const document = benchDocument(seed, index, paragraphsOf(index));
    return { index, name: document.name, text: documentText(document) };
  });
  const calls: (typeof all)[] = [];
  for (let start = 0; start < all.length; start += DOCUMENTS_PER_CALL) calls.push(all.slice(start, start + DOCUMENTS_PER_CALL));

  const began = performance.now();
  const answers = await Promise.all(
    calls.map(async (batch) => {
      const answer = await deps.engine.knowledge.ingest(deps.organizationId, corpus, batch.map(({ name, text }) => ({ name, text })));
      const ready = await Promise.all(answer.documents.map(({ document }) => deps.engine.knowledge.waitForDocument(deps.organizationId, document.id)));
      return { answer, ready, batch };
    }),
  );
  const seconds = (performance.now() - began) / 1000;

  const documentIds = new Map<number, string>();
  const workflowIds: string[] = [];
  let chunks = 0;
  for (const { answer, ready, batch } of answers) {
    ready.forEach((document, position) => {
      const expected = paragraphsOf(batch[position]!.index);
      if (!answer.documents[position]!.started) throw new Error(`knowledge bench: ${document.name} in ${corpus} was not new (no workflow started): the corpus was not empty`);
      if (document.status !== 'ready' || document.chunks !== expected) throw new Error(`knowledge bench: ${document.name} in ${corpus} ended ${document.status} with ${document.chunks} chunks, expected ready with ${expected}${document.error ? ` (${document.error})` : ''}`);
      chunks += expected;
      documentIds.set(batch[position]!.index, document.id);
      workflowIds.push(document.workflowId);
    });
  }
  const spans = await workflowSpans(deps.temporal, workflowIds);
  return {
    measurement: { documents, chunks, calls: calls.length, seconds, chunksPerSecond: chunks / seconds, maxConcurrentWorkflows: mostAtOnce(spans), workflowMsP50: median(spans.map(([start, end]) => end - start)) },
    corpus: answers[0]!.answer.corpus,
    documentIds,
  };
}

/** [start, close] in epoch ms of each workflow, a few descriptions at a time. */
async function workflowSpans(temporal: Client, workflowIds: readonly string[]): Promise<[number, number][]> {
  const spans: [number, number][] = [];
  for (let start = 0; start < workflowIds.length; start += 8) {
    const described = await Promise.all(workflowIds.slice(start, start + 8).map((id) => temporal.workflow.getHandle(id).describe()));
    for (const description of described) {
      if (!description.closeTime) throw new Error(`knowledge bench: ingest workflow ${description.workflowId} is still open after its document was ready`);
      spans.push([description.startTime.getTime(), description.closeTime.getTime()]);
    }
  }
  return spans;
}

/** The most spans open at one instant (a span closing at the instant another starts does not overlap it). */
export function mostAtOnce(spans: readonly [number, number][]): number {
  const edges = spans.flatMap(([start, end]): [number, number][] => [[start, 1], [end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (open += step));
  return most;
}

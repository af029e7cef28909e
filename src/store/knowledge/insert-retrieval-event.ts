import type { Queryable } from '../query';

export interface RetrievalEvent {
  organizationId: string;
  executionId: string;
  nodeId: string;
  attempt: number;
  query: string;
  /** The node's `corpus` as it asked (a name or a scope filter). */
  corpus: unknown;
  corpusIds: readonly string[];
  chunkIds: readonly string[];
  scores: readonly number[];
  latencyMs: number;
}

/** One retrieval of one node attempt (DESIGN §12). */
export async function insertRetrievalEvent(db: Queryable, event: RetrievalEvent): Promise<void> {
  await db.query({
    name: 'knowledge/insert-retrieval-event',
    text: `INSERT INTO execution_retrieval_events (organization_id, execution_id, node_id, attempt, query, corpus, corpus_ids, chunk_ids, scores, latency_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    values: [event.organizationId, event.executionId, event.nodeId, event.attempt, event.query, JSON.stringify(event.corpus), event.corpusIds, event.chunkIds, event.scores, event.latencyMs],
  });
}

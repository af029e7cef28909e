import type { Queryable } from '../query';

export interface RetrievalEventView {
  nodeId: string;
  attempt: number;
  query: string;
  corpus: unknown;
  corpusIds: string[];
  chunkIds: string[];
  scores: number[];
  latencyMs: number;
  at: string;
}

/** An execution's retrievals, in the order they were made; none for another organization's execution. */
export async function selectRetrievalEvents(db: Queryable, organizationId: string, executionId: string): Promise<RetrievalEventView[]> {
  const found = await db.query<RetrievalEventView>({
    text: `SELECT node_id AS "nodeId", attempt, query, corpus, corpus_ids AS "corpusIds", chunk_ids AS "chunkIds", scores, latency_ms AS "latencyMs",
                  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
           FROM execution_retrieval_events WHERE organization_id = $1 AND execution_id = $2 ORDER BY id`,
    values: [organizationId, executionId],
  });
  return found.rows;
}

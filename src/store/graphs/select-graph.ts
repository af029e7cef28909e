import type { GraphDocument } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/** A stored graph version (the latest when `version` is omitted); undefined when absent. */
export async function selectGraph(db: Queryable, organizationId: string, graphId: string, version?: number): Promise<GraphDocument | undefined> {
  const found = await db.query<{ definition: GraphDocument }>(
    version === undefined
      ? {
          name: 'graphs/select-latest-graph',
          text: 'SELECT definition FROM graphs WHERE organization_id = $1 AND id = $2 ORDER BY version DESC LIMIT 1',
          values: [organizationId, graphId],
        }
      : {
          name: 'graphs/select-graph-version',
          text: 'SELECT definition FROM graphs WHERE organization_id = $1 AND id = $2 AND version = $3',
          values: [organizationId, graphId, version],
        },
  );
  return found.rows[0]?.definition;
}

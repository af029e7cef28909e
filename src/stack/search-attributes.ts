import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../common/workflow-tags';
import proto from '@temporalio/proto';

const INDEXED = proto.temporal.api.enums.v1.IndexedValueType;
const WANTED = {
  [SEARCH_ATTRIBUTES.organizationId]: INDEXED.INDEXED_VALUE_TYPE_KEYWORD,
  [SEARCH_ATTRIBUTES.graphId]: INDEXED.INDEXED_VALUE_TYPE_KEYWORD,
  [SEARCH_ATTRIBUTES.graphVersion]: INDEXED.INDEXED_VALUE_TYPE_INT,
};

/**
 * Registers our search attributes on a Temporal server we did not start (TEMPORAL_ADDRESS),
 * so executions are findable by organization and graph. Returns the names it added.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(WANTED).filter(([name]) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing) });
  return missing.map(([name]) => name);
}

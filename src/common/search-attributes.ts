import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../workflows/contracts';

/** Typed keys of the search attributes every execution carries (DESIGN §8). */
export const searchAttributeKeys = {
  organizationId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.organizationId, SearchAttributeType.KEYWORD),
  graphId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.graphId, SearchAttributeType.KEYWORD),
  graphVersion: defineSearchAttributeKey(SEARCH_ATTRIBUTES.graphVersion, SearchAttributeType.INT),
};

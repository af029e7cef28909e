/**
 * The implementation of every activity node type, keyed by type. The key set is derived from
 * the registry in src/workflows/graph/node-types: an activity type without its entry here, or
 * an entry whose config type differs from its schema, does not compile.
 */
import type { ActivityNodeTypeName, RenderedConfig } from '../../workflows/graph/node-types';
import type { NodeWork } from '../node-activity';
import { runHttp } from './http/run';
import { runKnowledgeIngest } from './knowledge-ingest';
import { runKnowledgeRetrieve } from './knowledge-retrieve';
import { runMock } from './mock';
import { runNotify } from './notify';

export const NODE_WORK: { readonly [K in ActivityNodeTypeName]: NodeWork<RenderedConfig<K>> } = {
  mock: runMock,
  notify: runNotify,
  http: runHttp,
  'knowledge.ingest': runKnowledgeIngest,
  'knowledge.retrieve': runKnowledgeRetrieve,
};

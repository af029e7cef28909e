import { ID_PATTERN, MAX_GRAPH_VERSION } from '../workflows/graph/schema';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';

/** `GRAPH[@VERSION]` as commands take it: the graph id and, when given, the version. */
export function parseGraphRef(ref: string, what = 'graph'): { graphId: string; version?: number } {
  const at = ref.lastIndexOf('@');
  const graphId = at < 0 ? ref : ref.slice(0, at);
  if (!ID_PATTERN.test(graphId)) throw new CliError(`${what} ${JSON.stringify(ref)} is not GRAPH[@VERSION]: the id must match [a-z0-9][a-z0-9._-]{0,63}`, EXIT.invalid);
  if (at < 0) return { graphId };
  const text = ref.slice(at + 1);
  const version = Number(text);
  if (!/^\d+$/.test(text) || version < 1 || version > MAX_GRAPH_VERSION) throw new CliError(`${what} ${JSON.stringify(ref)}: the version must be an integer from 1 to ${MAX_GRAPH_VERSION}`, EXIT.invalid);
  return { graphId, version };
}

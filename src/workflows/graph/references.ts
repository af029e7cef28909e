/**
 * Which node outputs expressions can read through the `nodes` variable. Used to decide what
 * to carry across continue-as-new. Conservative: any use of `nodes` other than `nodes.<id>`
 * (e.g. `nodes[x]`) means every output may be read.
 */
import { collectExpressions } from './expressions';
import { nodesReadBy } from './nodes-lookup';
import type { GraphDocument } from './types';

export function referencedNodeOutputs(graph: GraphDocument): Set<string> | 'all' {
  const expressions: string[] = [];
  for (const edge of graph.edges) if (edge.when) expressions.push(edge.when);
  graph.nodes.forEach((node, index) => {
    for (const found of collectExpressions(node.config, `$.nodes[${index}].config`)) expressions.push(found.expression);
  });
  if (graph.settings?.output !== undefined) {
    for (const found of collectExpressions(graph.settings.output, '$.settings.output')) expressions.push(found.expression);
  }
  const ids = new Set<string>();
  for (const expression of expressions) {
    const read = nodesReadBy(expression);
    if (read === 'all') return 'all';
    for (const id of read) ids.add(id);
  }
  return ids;
}

/**
 * The `nodes` variable without building it: most expressions read no node, or a few by
 * name (`nodes.fetch.output`). Converting every decided node's output for each expression
 * made a 10,000-node graph quadratic, so an expression gets only the nodes it names, and
 * the whole map only when it reads `nodes` some other way (`nodes[x]`, `size(nodes)`).
 */

export class NodesLookup {
  constructor(
    /** One decided node's entry; undefined while it is pending or running. */
    readonly entry: (nodeId: string) => unknown,
    /** Every decided node's entry. */
    readonly all: () => Record<string, unknown>,
  ) {}

  /** `nodes` as far as `expression` can read it (plain JSON; expressions.ts converts it). */
  readBy(expression: string): Record<string, unknown> {
    const read = nodesReadBy(expression);
    if (read === 'all') return this.all();
    const out: Record<string, unknown> = {};
    for (const id of read) {
      const entry = this.entry(id);
      if (entry !== undefined) out[id] = entry;
    }
    return out;
  }
}

const readByExpression = new Map<string, Set<string> | 'all'>();

/**
 * Node ids `expression` reads as `nodes.<id>`, or 'all' for any other use of `nodes`.
 * Conservative: a string literal holding the word counts too (costing time, never a value).
 */
export function nodesReadBy(expression: string): Set<string> | 'all' {
  const known = readByExpression.get(expression);
  if (known) return known;
  let read: Set<string> | 'all' = new Set<string>();
  for (const use of expression.matchAll(/\bnodes\b(\s*\.\s*([A-Za-z_][A-Za-z0-9_]*))?/g)) {
    if (!use[2]) {
      read = 'all';
      break;
    }
    read.add(use[2]);
  }
  readByExpression.set(expression, read);
  return read;
}

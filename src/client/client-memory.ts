/**
 * What a client learned from its own calls and need not ask again: the organization of each
 * execution it started (so waiting for one needs no ownership lookup in Postgres, or in
 * Temporal while the mirror has no row yet) and the graph versions it stored (immutable: the
 * same content under the same version is stored for good). Bounded, oldest forgotten first;
 * forgetting only costs the lookup again.
 */
export class ClientMemory {
  private readonly owners: BoundedMap<string>;
  private readonly storedGraphs: BoundedMap<true>;

  constructor(capacity = 10_000) {
    this.owners = new BoundedMap(capacity);
    this.storedGraphs = new BoundedMap(capacity);
  }

  startedBy(executionId: string): string | undefined {
    return this.owners.get(executionId);
  }

  rememberStart(executionId: string, organizationId: string): void {
    this.owners.set(executionId, organizationId);
  }

  isStored(organizationId: string, graphId: string, version: number, hash: string): boolean {
    return this.storedGraphs.get(storedGraphKey(organizationId, graphId, version, hash)) === true;
  }

  rememberStored(organizationId: string, graphId: string, version: number, hash: string): void {
    this.storedGraphs.set(storedGraphKey(organizationId, graphId, version, hash), true);
  }
}

function storedGraphKey(organizationId: string, graphId: string, version: number, hash: string): string {
  return JSON.stringify([organizationId, graphId, version, hash]);
}

/** A Map that drops its oldest entry past `capacity` (a Map iterates in insertion order). */
class BoundedMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

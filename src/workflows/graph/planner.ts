/**
 * The pure planner (DESIGN §4): which nodes are ready, which are skipped, what input each
 * gets, and what the execution outputs. No I/O and no Temporal: the workflow asks it what to
 * do and tells it what happened, so every rule here is unit- and property-tested alone.
 *
 * Incremental: a 10,000-node graph runs thousands of inline nodes in one workflow task, so
 * `ready()` looks only at the nodes whose incoming edges were decided since it last looked
 * (scanning every node per call was quadratic and took tens of seconds, past the 10 s
 * workflow task timeout).
 */
import type { EdgeFault, EdgeState, NodeState, PlanSnapshot, WhenEvaluator } from './plan-types';
import type { GraphDocument, GraphEdge, GraphNode, Json, NodeError } from './types';

export type { EdgeFault, EdgeState, NodeState, PlanSnapshot, WhenEvaluator } from './plan-types';

export class GraphPlan {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  private readonly byId = new Map<string, GraphNode>();
  private readonly incoming = new Map<string, number[]>();
  private readonly outgoing = new Map<string, number[]>();
  private readonly nodeStates = new Map<string, NodeState>();
  /** Node id → index in the document: `ready()` answers in document order. */
  private readonly position = new Map<string, number>();
  /** Pending nodes whose join is satisfied. */
  private readonly readyIds = new Set<string>();
  /** `readyIds` in document order, until it changes. */
  private readyOrder: string[] | undefined;
  /** Nodes to look at again: an incoming edge was decided (or the plan was just built). */
  private readonly touched = new Set<string>();
  /** Nodes whose state was set since `takeChanged()` last looked (the mirror reads them, not every node). */
  private readonly changed = new Set<string>();
  private readonly edgeStates: EdgeState[];
  /** What a taken edge carries to its target: the source's output, or `{ error }`. */
  private readonly edgeValues: Json[];
  /** Completed node ids in completion order (compensation runs in reverse). */
  readonly completionOrder: string[] = [];

  constructor(graph: Pick<GraphDocument, 'nodes' | 'edges'>) {
    this.nodes = graph.nodes;
    this.edges = graph.edges ?? [];
    this.nodes.forEach((node, index) => {
      this.byId.set(node.id, node);
      this.position.set(node.id, index);
      this.incoming.set(node.id, []);
      this.outgoing.set(node.id, []);
      this.nodeStates.set(node.id, { status: 'pending' });
      this.touched.add(node.id);
    });
    this.edges.forEach((edge, index) => {
      this.outgoing.get(edge.from)?.push(index);
      this.incoming.get(edge.to)?.push(index);
    });
    this.edgeStates = this.edges.map(() => 'undecided');
    this.edgeValues = this.edges.map(() => null);
  }

  node(id: string): GraphNode {
    const node = this.byId.get(id);
    if (!node) throw new Error(`unknown node "${id}"`);
    return node;
  }

  state(id: string): NodeState {
    return this.nodeStates.get(id) ?? { status: 'pending' };
  }

  edgeState(index: number): EdgeState {
    return this.edgeStates[index];
  }

  /** Sinks: nodes with no outgoing edge. */
  sinks(): string[] {
    return this.nodes.filter((node) => (this.outgoing.get(node.id) ?? []).length === 0).map((node) => node.id);
  }

  /**
   * Pending nodes that may start now, in document order. Skip propagation runs first, so a
   * node whose every incoming edge was skipped is marked skipped (and skips its own edges).
   */
  ready(): string[] {
    this.review();
    this.readyOrder ??= [...this.readyIds].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
    return [...this.readyOrder];
  }

  /** Nodes whose state was set since the last call, in document order. */
  takeChanged(): string[] {
    const ids = [...this.changed].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
    this.changed.clear();
    return ids;
  }

  private joinSatisfied(node: GraphNode): boolean {
    const edges = this.incoming.get(node.id) ?? [];
    if (edges.length === 0) return true;
    const states = edges.map((index) => this.edgeStates[index]);
    if ((node.join ?? 'all') === 'any') return states.includes('taken');
    return states.every((state) => state !== 'undecided') && states.includes('taken');
  }

  /**
   * Skip propagation and readiness for the touched nodes only. Skipping decides the skipped
   * node's edges, which touches their targets, so this runs to the same fixpoint a scan of
   * every node would. Readiness is monotone (an edge is decided once), so a ready node stays
   * ready until it leaves `pending`.
   */
  private review(): void {
    for (const id of this.touched) {
      this.touched.delete(id);
      if (this.state(id).status !== 'pending') continue;
      const edges = this.incoming.get(id) ?? [];
      if (edges.length > 0 && edges.every((index) => this.edgeStates[index] === 'skipped')) {
        this.setState(id, { status: 'skipped' });
        this.decideOutgoing(id, () => false);
      } else if (this.joinSatisfied(this.node(id))) {
        this.readyIds.add(id);
        this.readyOrder = undefined;
      }
    }
  }

  /** Every state change goes through here, so a node that leaves `pending` leaves the ready set. */
  private setState(id: string, state: NodeState): void {
    this.nodeStates.set(id, state);
    this.changed.add(id);
    if (state.status !== 'pending' && this.readyIds.delete(id)) this.readyOrder = undefined;
  }

  private decideOutgoing(id: string, take: (edge: GraphEdge, index: number) => boolean, value: Json = null): void {
    for (const index of this.outgoing.get(id) ?? []) {
      if (this.edgeStates[index] !== 'undecided') continue;
      const taken = take(this.edges[index], index);
      this.edgeStates[index] = taken ? 'taken' : 'skipped';
      if (taken) this.edgeValues[index] = value;
      this.touched.add(this.edges[index].to);
    }
  }

  start(id: string): void {
    this.expect(id, 'pending');
    this.setState(id, { status: 'running' });
  }

  /**
   * A node completed: success and always edges are decided by their `when`; error edges are
   * skipped. A `when` that throws skips its edge and is returned, so the caller fails the
   * edge's target with ExpressionError.
   */
  complete(id: string, output: Json, evaluate: WhenEvaluator, reused = false): EdgeFault[] {
    const current = this.state(id).status;
    if (current !== 'running' && current !== 'pending') throw new Error(`node "${id}" cannot complete from ${current}`);
    this.setState(id, reused ? { status: 'completed', output, reused } : { status: 'completed', output });
    this.completionOrder.push(id);
    const faults: EdgeFault[] = [];
    this.decideOutgoing(
      id,
      (edge, index) => {
        if (edge.on === 'error') return false;
        if (edge.when === undefined) return true;
        try {
          return evaluate(edge, output);
        } catch (error) {
          faults.push({ edgeIndex: index, error });
          return false;
        }
      },
      output,
    );
    return faults;
  }

  /**
   * A node failed for good (after its retries). Error and always edges carry `{ error }`;
   * success edges are skipped. Handled means an error edge was taken, so the execution goes on.
   */
  fail(id: string, error: NodeError, evaluate: WhenEvaluator): { handled: boolean; faults: EdgeFault[] } {
    const current = this.state(id).status;
    if (current !== 'running' && current !== 'pending') throw new Error(`node "${id}" cannot fail from ${current}`);
    const value: Json = { error: { ...error } };
    const faults: EdgeFault[] = [];
    let handled = false;
    // Failed before its edges are decided, as `complete` does, so a `when` reading `nodes` sees it.
    this.setState(id, { status: 'failed', error, handled });
    this.decideOutgoing(
      id,
      (edge, index) => {
        if ((edge.on ?? 'success') === 'success') return false;
        let taken = true;
        if (edge.when !== undefined) {
          try {
            taken = evaluate(edge, value);
          } catch (err) {
            faults.push({ edgeIndex: index, error: err });
            taken = false;
          }
        }
        if (taken && edge.on === 'error') handled = true;
        return taken;
      },
      value,
    );
    this.setState(id, { status: 'failed', error, handled });
    return { handled, faults };
  }

  /** A completed node's compensation succeeded (the execution failed for good). */
  markCompensated(id: string): void {
    const state = this.state(id);
    if (state.status !== 'completed') throw new Error(`node "${id}" is ${state.status}, only a completed node can be compensated`);
    this.setState(id, { status: 'compensated', output: state.output });
  }

  /** A running node goes back to pending (a map paused for continue-as-new: it starts again in the next run). */
  unstart(id: string): void {
    this.expect(id, 'running');
    this.setState(id, { status: 'pending' });
    // Its edges in are decided already: ready() must look at it again.
    this.touched.add(id);
  }

  /** A running node was cancelled by the workflow (the execution is failing or cancelled). */
  cancel(id: string): void {
    this.setState(id, { status: 'cancelled' });
  }

  /**
   * The execution stops (unhandled failure, cancel, deadline): every node that has not
   * started ends cancelled, so every node has a final status. Returns the running ones, for
   * the caller to cancel.
   */
  abort(): string[] {
    const running: string[] = [];
    for (const node of this.nodes) {
      const status = this.state(node.id).status;
      if (status === 'pending') this.setState(node.id, { status: 'cancelled' });
      if (status === 'running') running.push(node.id);
    }
    return running;
  }

  /** The node's input: the execution input, its one predecessor's value, or values by predecessor. */
  input(id: string, executionInput: Json): Json {
    const edges = this.incoming.get(id) ?? [];
    if (edges.length === 0) return executionInput;
    const predecessors = new Set(edges.map((index) => this.edges[index].from));
    const taken = edges.filter((index) => this.edgeStates[index] === 'taken');
    if (predecessors.size === 1) return taken.length > 0 ? this.edgeValues[taken[0]] : null;
    const byPredecessor: Record<string, Json> = {};
    for (const index of taken) {
      const from = this.edges[index].from;
      if (!(from in byPredecessor)) byPredecessor[from] = this.edgeValues[index];
    }
    return byPredecessor;
  }

  /** True when nothing is running and nothing can start: the execution is over. */
  settled(runningCount: number): boolean {
    return runningCount === 0 && this.ready().length === 0;
  }

  /** The state to carry into a new run; `keepOutput(id)` says whose output may be read later. */
  snapshot(keepOutput: (nodeId: string) => boolean): PlanSnapshot {
    const nodes: Record<string, NodeState> = {};
    for (const node of this.nodes) {
      const state = this.state(node.id);
      if (state.status === 'pending') continue;
      nodes[node.id] = state.status === 'completed' && !keepOutput(node.id) ? { ...state, output: null } : state;
    }
    const edges = this.edges.map((edge, index) => {
      const state = this.edgeStates[index];
      const consumerWaiting = this.state(edge.to).status === 'pending';
      return state === 'taken' && consumerWaiting ? { state, value: this.edgeValues[index] } : { state };
    });
    return { nodes, edges, completionOrder: [...this.completionOrder] };
  }

  /** A plan continued from a snapshot of the same graph. */
  static restore(graph: Pick<GraphDocument, 'nodes' | 'edges'>, snapshot: PlanSnapshot): GraphPlan {
    const plan = new GraphPlan(graph);
    for (const [id, state] of Object.entries(snapshot.nodes)) {
      if (state.status === 'running') throw new Error(`cannot restore node "${id}" as running`);
      plan.setState(id, state);
    }
    snapshot.edges.forEach((edge, index) => {
      plan.edgeStates[index] = edge.state;
      plan.edgeValues[index] = edge.value ?? null;
    });
    plan.completionOrder.push(...snapshot.completionOrder);
    return plan;
  }

  private expect(id: string, status: NodeState['status']): void {
    const current = this.state(id).status;
    if (current !== status) throw new Error(`node "${id}" is ${current}, expected ${status}`);
  }
}

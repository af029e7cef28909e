/**
 * Places a graph's nodes with elkjs (Eclipse Layout Kernel): layered, left to right, edges
 * routed orthogonally around the nodes. ELK runs in its web worker (served from
 * /console/assets), so laying out a large graph never freezes the page; it starts, and warms
 * up on a small graph, as soon as the console loads, before any graph is asked for.
 */
import ELK, { type ElkExtendedEdge, type ElkNode, type ELK as ElkApi } from 'elkjs/lib/elk-api.js';
import type { GraphEdge, GraphNode } from '../types';

/** The worker's URL, hashed: set by scripts/build-console.mjs. */
declare const ELK_WORKER_URL: string;

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 50;
/** Past this many nodes, cheaper crossing minimization: the layout stays quick and barely changes. */
const LARGE_GRAPH = 60;

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
}

export interface RoutedEdge {
  from: string;
  to: string;
  on: 'success' | 'error' | 'always';
  conditional: boolean;
  points: Point[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: RoutedEdge[];
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeNode': '14',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};
const LARGE_GRAPH_OPTIONS = { 'elk.layered.thoroughness': '2', 'elk.layered.crossingMinimization.greedySwitch.type': 'OFF' };

let elk: ElkApi | undefined;
const layouter = (): ElkApi => (elk ??= new ELK({ workerUrl: ELK_WORKER_URL }));

/** Starts the worker and lays out a small graph, so the first real layout finds ELK's code warm. */
export function warmUpLayout(): void {
  const nodes = ['a', 'b', 'c', 'd'].map((id) => ({ id, type: 'noop' }));
  void layoutGraph(nodes, [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }]).catch(() => undefined);
}

export async function layoutGraph(nodes: GraphNode[], edges: GraphEdge[]): Promise<GraphLayout> {
  const known = new Set(nodes.map((node) => node.id));
  // Only edges between drawn nodes (a document the API stored is valid, but stay safe).
  const drawn = edges.filter((edge) => known.has(edge.from) && known.has(edge.to));
  const graph: ElkNode & { edges: ElkExtendedEdge[] } = {
    id: 'root',
    layoutOptions: nodes.length > LARGE_GRAPH ? { ...LAYOUT_OPTIONS, ...LARGE_GRAPH_OPTIONS } : LAYOUT_OPTIONS,
    children: nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: drawn.map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  };
  const laid = await layouter().layout(graph);
  const placed = (laid.children ?? []).map((child) => ({ id: child.id, x: child.x ?? 0, y: child.y ?? 0 }));
  const routed = (laid.edges ?? []).map((edge, index) => {
    const section = edge.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    const source = drawn[index];
    return { from: source.from, to: source.to, on: source.on ?? 'success', conditional: source.when !== undefined, points };
  });
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes: placed, edges: routed };
}

/**
 * Draws a laid-out graph as SVG: one `<g class="node">` per node carrying `data-node-id` and
 * `data-status` (the mirror's step status; `pending` for a node with no step yet), coloured by
 * styles.css. Statuses change in place as events arrive: nothing is redrawn.
 */
import { svg } from '../dom';
import type { GraphNode } from '../types';
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout } from './layout';

export interface DrawnGraph {
  element: SVGSVGElement;
  setStatus(nodeId: string, status: string, detail?: string): void;
  select(nodeId: string | undefined): void;
}

/** What fits in a node box at the styles' font sizes. */
const MAX_ID = 22;
const MAX_CAPTION = 28;
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function drawGraph(layout: GraphLayout, nodes: GraphNode[], onSelect: (nodeId: string) => void): DrawnGraph {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const root = svg('svg', { class: 'graph', width: Math.ceil(layout.width), height: Math.ceil(layout.height), viewBox: `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`, role: 'img', 'aria-label': 'graph of the execution' });
  root.append(
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }))),
  );
  const edgeLayer = svg('g', { class: 'edges' });
  for (const edge of layout.edges) {
    if (edge.points.length === 0) continue;
    const d = edge.points.map((point, index) => `${index === 0 ? 'M' : 'L'} ${point.x} ${point.y}`).join(' ');
    edgeLayer.append(svg('path', { d, class: `edge edge-${edge.on}${edge.conditional ? ' edge-conditional' : ''}`, 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to }));
  }
  const nodeLayer = svg('g', { class: 'nodes' });
  const drawnNodes = new Map<string, { group: SVGGElement; caption: SVGTextElement; type: string }>();
  for (const placed of layout.nodes) {
    const node = byId.get(placed.id);
    const type = node?.type ?? '';
    const caption = svg('text', { x: 12, y: 38, class: 'node-caption' }, clip(`${type} · pending`, MAX_CAPTION));
    const group = svg(
      'g',
      { class: 'node', 'data-node-id': placed.id, 'data-status': 'pending', transform: `translate(${placed.x} ${placed.y})`, tabindex: 0, role: 'button', 'aria-label': `node ${placed.id}` },
      svg('title', {}, node?.name ? `${placed.id}: ${node.name}` : placed.id),
      svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 7, ry: 7 }),
      svg('rect', { class: 'node-bar', width: 5, height: NODE_HEIGHT, rx: 2 }),
      svg('text', { x: 12, y: 20, class: 'node-id' }, clip(placed.id, MAX_ID)),
      caption,
    );
    const choose = (): void => onSelect(placed.id);
    group.addEventListener('click', choose);
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        choose();
      }
    });
    nodeLayer.append(group);
    drawnNodes.set(placed.id, { group, caption, type });
  }
  root.append(edgeLayer, nodeLayer);

  let selected: string | undefined;
  return {
    element: root,
    setStatus(nodeId, status, detail) {
      const drawn = drawnNodes.get(nodeId);
      if (!drawn) return;
      drawn.group.setAttribute('data-status', status);
      drawn.caption.textContent = clip(`${drawn.type} · ${status.replace('_', ' ')}${detail ? ` · ${detail}` : ''}`, MAX_CAPTION);
    },
    select(nodeId) {
      if (selected) drawnNodes.get(selected)?.group.classList.remove('selected');
      selected = nodeId;
      if (nodeId) drawnNodes.get(nodeId)?.group.classList.add('selected');
    },
  };
}

/** The benchmark graphs as engine documents; the baseline workflows hard-code the same shapes. */
import { chainNodeIds, FANOUT_WIDTH, fanoutBranchIds, LOCAL_START_TO_CLOSE } from './shapes';

export function chainGraph(): Record<string, unknown> {
  const ids = chainNodeIds();
  return {
    id: 'bench-chain',
    version: 1,
    name: 'Benchmark: 10-node chain of mock nodes',
    nodes: ids.map((id) => ({ id, type: 'mock', config: {} })),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

/** The same chain with every node `"local": true`: local activities (DESIGN §11, fast nodes). */
export function localChainGraph(): Record<string, unknown> {
  const ids = chainNodeIds();
  return {
    id: 'bench-local-chain',
    version: 1,
    name: 'Benchmark: 10-node chain of local mock nodes',
    nodes: ids.map((id) => ({ id, type: 'mock', local: true, timeout: { startToClose: LOCAL_START_TO_CLOSE }, config: {} })),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

export function fanoutGraph(): Record<string, unknown> {
  const branches = fanoutBranchIds();
  return {
    id: 'bench-fanout',
    version: 1,
    name: `Benchmark: ${FANOUT_WIDTH}-way fan-out / fan-in of mock nodes`,
    settings: { maxParallelism: FANOUT_WIDTH + 2 },
    nodes: [{ id: 'start', type: 'mock', config: {} }, ...branches.map((id) => ({ id, type: 'mock', config: {} })), { id: 'end', type: 'mock', config: {} }],
    edges: [...branches.map((id) => ({ from: 'start', to: id })), ...branches.map((id) => ({ from: id, to: 'end' }))],
  };
}

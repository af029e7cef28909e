// The benchmark worker's workflow bundle entry: the engine's interpreter and the hand-written baseline.
export { graphExecution } from '../src/workflows/graph-workflow';
export { baselineChain, baselineFanout } from './baseline-workflows';

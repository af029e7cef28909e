// The benchmark worker's workflow bundle entry: the engine's interpreter and the hand-written baseline.
export { graphExecution } from '../src/workflows/graph-workflow';
// Per-key concurrency slots (settings.concurrency), for bench/concurrency.ts.
export { concurrencySlots } from '../src/workflows/slots-workflow';
export { baselineChain, baselineFanout, baselineLocalChain } from './baseline-workflows';
export { baselineLayered, baselineMap, baselineWide } from './baseline-large-workflows';
// Knowledge documents' ingestion, for bench/knowledge-run.ts.
export { knowledgeIngest } from '../src/workflows/knowledge-ingest-workflow';

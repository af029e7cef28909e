/**
 * The benchmark's shapes' sizes, shared by the graph documents, the hand-written baselines and
 * the pg-boss executor. Workflow code imports this file: no environment here (the sandbox has
 * no `process`); the sizes the environment can change are in bench/sizes.ts.
 */

export const CHAIN_LENGTH = 10;
/** The chains of the whole benchmark (DESIGN §11 / issue 14): 1, 10 and 50 nodes. */
export const CHAIN_LENGTHS = [1, 10, 50] as const;
export const FANOUT_WIDTH = 20;
/** startToClose of the local chain's nodes (the most a local node may have) and of its baseline's local activities. */
export const LOCAL_START_TO_CLOSE = '10s';

export const chainNodeIds = (length = CHAIN_LENGTH): string[] => Array.from({ length }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
export const fanoutBranchIds = (): string[] => Array.from({ length: FANOUT_WIDTH }, (_, i) => `b${String(i + 1).padStart(2, '0')}`);

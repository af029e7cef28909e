/** The benchmark's two shapes, shared by the graph documents and the hand-written baseline. */
export const CHAIN_LENGTH = 10;
export const FANOUT_WIDTH = 20;
/** startToClose of the local chain's nodes (the most a local node may have) and of its baseline's local activities. */
export const LOCAL_START_TO_CLOSE = '10s';

export const chainNodeIds = (): string[] => Array.from({ length: CHAIN_LENGTH }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
export const fanoutBranchIds = (): string[] => Array.from({ length: FANOUT_WIDTH }, (_, i) => `b${String(i + 1).padStart(2, '0')}`);

/** What a node activity receives and returns (every activity-backed node type). */
import type { Json } from '../graph/types';
import type { StepUpdate } from './mirror';

/** Input of every activity-backed node. */
export interface NodeActivityInput {
  executionId: string;
  organizationId: string;
  nodeId: string;
  nodeType: string;
  /** Config with its expressions already evaluated by the workflow. */
  config: Json;
  input: Json;
  /** `compensate` runs the node's compensation: its attempts are recorded apart, its step is left to the workflow. */
  phase?: 'run' | 'compensate';
  /** Step updates the workflow decided, written by the activity in its first transaction. */
  mirror?: StepUpdate[];
}

export interface NodeActivityResult {
  output: Json;
  attempt: number;
  /** False when the activity could not write its step to Postgres; the workflow then does. */
  mirrored: boolean;
  /**
   * True when this attempt wrote (committed) the step updates that rode along in `mirror`:
   * the workflow need not send them again at the end. Absent (older workers): sent again.
   */
  carriedWritten?: boolean;
}

/** Details carried by a node activity's ApplicationFailure. */
export interface NodeFailureDetails {
  attempt: number;
}

/** What a representative graph (./representative-graphs.ts) is, and what recording it needs. */
import type { Client } from '@temporalio/client';
import type { EngineClient, ExecutionView } from '../client';
import type { Json } from '../workflows/graph/types';

/** What a recording needs from the running stack. */
export interface RecordingContext {
  client: EngineClient;
  temporal: Client;
}

export interface RepresentativeGraph {
  /** File name under test/histories/ (without .json). */
  name: string;
  graph: Record<string, unknown>;
  input?: Json;
  /** The status the execution must end with, so a recording that went wrong is not saved. */
  expectStatus: 'completed' | 'failed' | 'cancelled' | 'timed_out';
  /** Runs before the execution starts (stores the graphs its subgraph nodes name). */
  prepare?: (context: RecordingContext) => Promise<void>;
  /** Drives a started execution (signals, cancel); the recorder then waits for its end. */
  drive?: (context: RecordingContext, executionId: string) => Promise<void>;
  /** What is wrong with the finished execution, if anything: the recording then fails. */
  verify?: (view: ExecutionView) => string | undefined;
  continueAsNewAtEvents?: number;
  /** Whether to save this execution's own history (default true). */
  save?: boolean;
  /** Further workflows this one led to (a dead letter, its retry), recorded once they end. */
  after?: (context: RecordingContext, executionId: string) => Promise<{ name: string; workflowId: string }[]>;
}

/** The dead-letter workflow's contract: its arguments and how a dead letter is resolved. */
import { defineSignal } from '@temporalio/workflow';

export interface DeadLetterArgs {
  deadLetterId: string;
  executionId: string;
  organizationId: string;
}

/** How a dead letter was resolved; sent by the client to end the dead-letter workflow. */
export interface DeadLetterResolution {
  action: 'retried' | 'resumed' | 'purged';
  by: string;
  retryExecutionId?: string;
}

export const resolveDeadLetterSignal = defineSignal<[DeadLetterResolution]>('resolve');

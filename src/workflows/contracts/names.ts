/**
 * Names and ids shared by workflows and everything that talks to them: task queue, workflow
 * types, organization default, and the workflow ids we derive (never repeated as literals).
 */

export const TASK_QUEUE = 'wf-engine';
export const GRAPH_WORKFLOW = 'graphExecution';
export const DEAD_LETTER_WORKFLOW = 'deadLetter';
export const SLOTS_WORKFLOW = 'concurrencySlots';
export const DEFAULT_ORGANIZATION = 'default';

/** Workflow id of the FIFO slot holder of one concurrency key in one organization. */
export function slotsWorkflowId(organizationId: string, key: string): string {
  return `slots:${organizationId}:${key}`;
}

/** Workflow id of the dead letter of an execution: one per failed execution, never two. */
export function deadLetterId(executionId: string): string {
  return `dlq-${executionId}`;
}

/** Temporal id of an organization's schedule (DESIGN §10); its runs' workflow ids start with it. */
export function temporalScheduleId(organizationId: string, scheduleId: string): string {
  return `sched:${organizationId}:${scheduleId}`;
}

/** Execution (and workflow) id of the child execution a `subgraph` node starts. */
export function childExecutionId(parentExecutionId: string, nodeId: string): string {
  return `${parentExecutionId}/${nodeId}`;
}

/** Workflow type of one document's ingestion (DESIGN §12). */
export const KNOWLEDGE_INGEST_WORKFLOW = 'knowledgeIngest';

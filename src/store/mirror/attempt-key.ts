/**
 * The key of one attempt row (`executionId:nodeId:attempt`), what the attempt writes of
 * src/store/mirror/record-*.ts take.
 *
 * Once the workflow has written a step's final word (Temporal's history), a late activity
 * write (an attempt finishing after its timeout) never rewrites that step's attempts.
 */
export interface AttemptKey {
  executionId: string;
  organizationId: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
}

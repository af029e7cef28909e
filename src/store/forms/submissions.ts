import type { Queryable } from '../query';

/** The executions a submission started, when it was recorded before; undefined for a new one. */
export async function selectSubmission(db: Queryable, organizationId: string, formId: string, submissionId: string): Promise<string[] | undefined> {
  const found = await db.query<{ execution_ids: string[] }>({
    name: 'forms/select-submission',
    text: 'SELECT execution_ids FROM form_submissions WHERE organization_id = $1 AND form_id = $2 AND submission_id = $3',
    values: [organizationId, formId, submissionId],
  });
  return found.rows[0]?.execution_ids;
}

/**
 * Records a submission once. A concurrent one that recorded first wins: its execution ids are
 * returned (they are the same ids, named by the submission, but the stored row is the answer).
 */
export async function recordSubmission(db: Queryable, organizationId: string, formId: string, submissionId: string, executionIds: string[]): Promise<string[]> {
  const inserted = await db.query({
    name: 'forms/insert-submission',
    text: `INSERT INTO form_submissions (organization_id, form_id, submission_id, execution_ids) VALUES ($1, $2, $3, $4::text[])
           ON CONFLICT (organization_id, form_id, submission_id) DO NOTHING`,
    values: [organizationId, formId, submissionId, executionIds],
  });
  if ((inserted.rowCount ?? 0) > 0) return executionIds;
  return (await selectSubmission(db, organizationId, formId, submissionId)) ?? executionIds;
}

import type { Queryable } from '../query';
import { FORM_COLUMNS, formView, type FormRow, type FormView } from './form-view';

/** Registers a form; undefined when the organization already has one of that id. */
export async function insertForm(db: Queryable, organizationId: string, formId: string, graphId: string, graphVersion?: number): Promise<FormView | undefined> {
  const inserted = await db.query<FormRow>({
    text: `INSERT INTO forms (organization_id, id, graph_id, graph_version) VALUES ($1, $2, $3, $4)
           ON CONFLICT (organization_id, id) DO NOTHING RETURNING ${FORM_COLUMNS}`,
    values: [organizationId, formId, graphId, graphVersion ?? null],
  });
  return inserted.rows[0] ? formView(inserted.rows[0]) : undefined;
}

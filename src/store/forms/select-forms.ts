import type { Queryable } from '../query';
import { FORM_COLUMNS, formView, type FormRow, type FormView } from './form-view';

/** The organization's forms, oldest first. */
export async function selectForms(db: Queryable, organizationId: string): Promise<FormView[]> {
  const found = await db.query<FormRow>({
    text: `SELECT ${FORM_COLUMNS} FROM forms WHERE organization_id = $1 ORDER BY created_at, id`,
    values: [organizationId],
  });
  return found.rows.map(formView);
}

/** One form of the organization; undefined when it has none of that id. */
export async function selectForm(db: Queryable, organizationId: string, formId: string): Promise<FormView | undefined> {
  const found = await db.query<FormRow>({
    name: 'forms/select-form',
    text: `SELECT ${FORM_COLUMNS} FROM forms WHERE organization_id = $1 AND id = $2`,
    values: [organizationId, formId],
  });
  return found.rows[0] ? formView(found.rows[0]) : undefined;
}

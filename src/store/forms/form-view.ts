export interface FormView {
  formId: string;
  graphId: string;
  /** null: the latest version at the time of each submission. */
  graphVersion: number | null;
  createdAt: string;
}

/** The row the form queries return. */
export interface FormRow {
  id: string;
  graph_id: string;
  graph_version: number | null;
  created_at: string;
}

export const FORM_COLUMNS = 'id, graph_id, graph_version, created_at';

export const formView = (row: FormRow): FormView => ({ formId: row.id, graphId: row.graph_id, graphVersion: row.graph_version, createdAt: row.created_at });

/**
 * Forms (DESIGN §10): an organization registers a form that starts a graph. A submission
 * starts the form's graph with `{formId, submissionId, data}` and raises `form.submitted`
 * with the same payload to the organization's triggers. Idempotent by submission id, also
 * under concurrent retries: the execution ids are named by the submission (idempotency key
 * and event id), so every retry starts nothing new and answers the same ids.
 */
import { deleteFormRow } from '../store/forms/delete-form';
import type { FormView } from '../store/forms/form-view';
import { insertForm } from '../store/forms/insert-form';
import { selectForm, selectForms } from '../store/forms/select-forms';
import { recordSubmission, selectSubmission } from '../store/forms/submissions';
import { ID_PATTERN } from '../workflows/graph/schema';
import type { Json } from '../workflows/graph/types';
import type { ClientDeps } from './deps';
import { AlreadyExistsError, InvalidRequestError, NotFoundError } from './errors';
import { loadGraph } from './graphs';
import { startExecution } from './start';
import { publishEvent } from './triggers';
import { withPostgres } from './unavailable';

/** The event a submission raises to the organization's triggers. */
export const FORM_SUBMITTED_EVENT = 'form.submitted';

export interface FormSubmission {
  submissionId: string;
  data: Json;
}

export class Forms {
  constructor(private readonly deps: ClientDeps) {}

  /** Registers a form of a stored graph (without a version: the latest at each submission). */
  async create(organizationId: string, formId: string, graphId: string, graphVersion?: number): Promise<FormView> {
    if (!ID_PATTERN.test(formId)) throw new InvalidRequestError('form id is invalid', [{ path: '$.formId', message: 'must match [a-z0-9][a-z0-9._-]{0,63}' }]);
    await loadGraph(this.deps.pool, organizationId, graphId, graphVersion); // 404 when the graph is not stored
    const form = await withPostgres(() => insertForm(this.deps.pool, organizationId, formId, graphId, graphVersion));
    if (!form) throw new AlreadyExistsError('form', formId);
    return form;
  }

  async list(organizationId: string): Promise<FormView[]> {
    return withPostgres(() => selectForms(this.deps.pool, organizationId));
  }

  async delete(organizationId: string, formId: string): Promise<void> {
    if (!(await withPostgres(() => deleteFormRow(this.deps.pool, organizationId, formId)))) throw new NotFoundError('form', formId);
  }

  /** The form of the organization; NotFoundError for another organization's or an unknown one. */
  async get(organizationId: string, formId: string): Promise<FormView> {
    const form = await withPostgres(() => selectForm(this.deps.pool, organizationId, formId));
    if (!form) throw new NotFoundError('form', formId);
    return form;
  }

  /** Starts the form's graph and the `form.submitted` triggers, once per submission id: the form's execution first. */
  async submit(organizationId: string, formId: string, submission: FormSubmission): Promise<{ executionIds: string[] }> {
    const form = await this.get(organizationId, formId);
    const recorded = await withPostgres(() => selectSubmission(this.deps.pool, organizationId, formId, submission.submissionId));
    if (recorded) return { executionIds: recorded };
    const graph = await loadGraph(this.deps.pool, organizationId, form.graphId, form.graphVersion ?? undefined);
    const payload: Json = { formId, submissionId: submission.submissionId, data: submission.data };
    const name = `form:${formId}:${submission.submissionId}`;
    const started = await startExecution(this.deps, { organizationId, graph, input: payload, idempotencyKey: name });
    const raised = await publishEvent(this.deps, organizationId, { id: name, type: FORM_SUBMITTED_EVENT, payload });
    const executionIds = [started.executionId, ...raised.executionIds];
    return { executionIds: await withPostgres(() => recordSubmission(this.deps.pool, organizationId, formId, submission.submissionId, executionIds)) };
  }
}

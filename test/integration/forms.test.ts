/**
 * Form submissions (DESIGN §10): a submission starts the form's graph with {formId,
 * submissionId, data} and raises `form.submitted` to the organization's triggers, once per
 * submission id even under concurrent retries; the organization is checked before anything
 * is stored, then the role (operator or submitter). And `wf form`, `wf key create --role submitter`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { waitFor } from '../helpers/wait-for';
import { runWf } from '../helpers/wf-cli';

const ORG = 'forms-a';
const OTHER = 'forms-b';
let engine: TestEngine;
let api: TestApi;
let operator: string;
let submitter: string;
let formGraph: string;
let followUp: string;

beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
  operator = await api.key(ORG, 'operator');
  submitter = await api.key(ORG, 'submitter');
  formGraph = graphId('contact-form');
  followUp = graphId('contact-follow-up');
  await engine.client.storeGraph(ORG, { id: formGraph, version: 1, nodes: [{ id: 'thanks', type: 'transform', config: { output: { to: { $expr: 'input.data.email' }, form: { $expr: 'input.formId' } } } }] });
  await engine.client.storeGraph(ORG, { id: followUp, version: 1, nodes: [{ id: 'note', type: 'transform', config: { output: { submission: { $expr: 'input.submissionId' } } } }] });
  const trigger = await api.app.inject({ method: 'POST', url: '/api/v1/triggers', headers: auth(operator), payload: { eventType: 'form.submitted', graphId: followUp, filter: 'event.payload.formId == "contact"' } });
  expect(trigger.statusCode).toBe(201);
  const form = await api.app.inject({ method: 'POST', url: '/api/v1/forms', headers: auth(operator), payload: { formId: 'contact', graphId: formGraph } });
  expect(form.statusCode).toBe(201);
  expect(form.json()).toMatchObject({ formId: 'contact', graphId: formGraph, graphVersion: null });
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

const submit = (formId: string, key: string | undefined, payload: unknown) =>
  api.app.inject({ method: 'POST', url: `/api/v1/forms/${formId}/submissions`, headers: auth(key), payload: payload as object });

async function count(sql: string, values: unknown[]): Promise<number> {
  return (await engine.pool.query<{ n: number }>(sql, values)).rows[0].n;
}

const storedFor = async (submissionId: string): Promise<number> =>
  (await count('SELECT count(*)::int AS n FROM form_submissions WHERE submission_id = $1', [submissionId])) +
  (await count("SELECT count(*)::int AS n FROM executions WHERE input->>'submissionId' = $1", [submissionId])) +
  (await count('SELECT count(*)::int AS n FROM events WHERE id LIKE $1', [`%:${submissionId}`]));

describe('POST /api/v1/forms/:formId/submissions', () => {
  test("starts the form's graph and the form.submitted triggers, the form's execution first", async () => {
    const data = { email: 'ada@example.org', message: 'hello' };
    const response = await submit('contact', submitter, { submissionId: 'sub-1', data });
    expect(response.statusCode).toBe(202);
    const { executionIds } = response.json();
    expect(executionIds).toHaveLength(2);
    const form = await engine.client.waitForEnd(ORG, executionIds[0]);
    expect(form).toMatchObject({ graphId: formGraph, status: 'completed', output: { to: 'ada@example.org', form: 'contact' } });
    const follow = await engine.client.waitForEnd(ORG, executionIds[1]);
    expect(follow).toMatchObject({ graphId: followUp, status: 'completed', output: { submission: 'sub-1' } });
    const inputs = await engine.pool.query('SELECT input FROM executions WHERE id = ANY($1) ORDER BY graph_id = $2 DESC', [executionIds, formGraph]);
    expect(inputs.rows.map((row) => row.input)).toEqual([
      { formId: 'contact', submissionId: 'sub-1', data },
      { formId: 'contact', submissionId: 'sub-1', data },
    ]);
    const event = await engine.pool.query('SELECT type, payload, execution_ids FROM events WHERE organization_id = $1 AND id = $2', [ORG, 'form:contact:sub-1']);
    expect(event.rows).toEqual([{ type: 'form.submitted', payload: { formId: 'contact', submissionId: 'sub-1', data }, execution_ids: [executionIds[1]] }]);
  });

  test('ten concurrent retries of one submission start exactly one execution each and all answer the same ids', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => submit('contact', i % 2 ? submitter : operator, { submissionId: 'sub-burst', data: { email: 'b@example.org', try: i } })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(202));
    const answers = responses.map((r) => r.json().executionIds);
    for (const ids of answers) expect(ids).toEqual(answers[0]);
    expect(answers[0]).toHaveLength(2);
    for (const id of answers[0]) expect((await engine.client.waitForEnd(ORG, id)).status).toBe('completed');
    expect(await count("SELECT count(*)::int AS n FROM executions WHERE input->>'submissionId' = 'sub-burst'", [])).toBe(2);
    expect(await count("SELECT count(*)::int AS n FROM form_submissions WHERE submission_id = 'sub-burst'", [])).toBe(1);
    // Temporal agrees: one workflow of the form's graph for this submission (visibility lags: wait for it).
    const runs = await waitFor('the submission in Temporal visibility', 30_000, async () => {
      const found: string[] = [];
      for await (const execution of engine.temporal.workflow.list({ query: `GraphId = "${formGraph}"` })) found.push(execution.workflowId);
      return found.includes(answers[0][0]) ? found : undefined;
    }, 200);
    expect(runs.filter((id) => id === answers[0][0])).toHaveLength(1);
    const later = await submit('contact', submitter, { submissionId: 'sub-burst', data: { different: true } });
    expect(later.json().executionIds).toEqual(answers[0]);
  });

  test("another organization's key is not found and a viewer is forbidden, with nothing stored", async () => {
    for (const role of ['operator', 'submitter', 'admin'] as const) {
      const foreign = await submit('contact', await api.key(OTHER, role), { submissionId: `sub-foreign-${role}`, data: {} });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).not.toContain(formGraph);
      expect(await storedFor(`sub-foreign-${role}`)).toBe(0);
    }
    const viewer = await submit('contact', await api.key(ORG, 'viewer'), { submissionId: 'sub-viewer', data: {} });
    expect(viewer.statusCode).toBe(403);
    expect(await storedFor('sub-viewer')).toBe(0);
    expect((await submit('contact', undefined, { submissionId: 'sub-nokey', data: {} })).statusCode).toBe(401);
    expect(await storedFor('sub-nokey')).toBe(0);
  });

  test('bad bodies are 400 with a path, an unknown form 404', async () => {
    const paths = async (payload: unknown) => {
      const response = await submit('contact', submitter, payload);
      expect(response.statusCode).toBe(400);
      return response.json().error.problems.map((problem: { path: string }) => problem.path);
    };
    expect(await paths({ data: {} })).toEqual(['$.body.submissionId']);
    expect(await paths({ submissionId: 'x' })).toEqual(['$.body.data']);
    expect(await paths({ submissionId: '', data: 1 })).toEqual(['$.body.submissionId']);
    expect(await paths({ submissionId: 's', data: 1, extra: 2 })).toEqual(['$.body.extra']);
    expect((await submit('Not_A_Form', submitter, { submissionId: 's', data: 1 })).json().error.problems[0].path).toBe('$.params.formId');
    expect((await submit('no-such-form', submitter, { submissionId: 's', data: 1 })).statusCode).toBe(404);
  });

  test('a submitter key does nothing else; forms are managed by operators', async () => {
    for (const [method, url] of [['GET', '/api/v1/forms'], ['GET', '/api/v1/executions'], ['GET', '/api/v1/triggers']] as const) {
      expect((await api.app.inject({ method, url, headers: auth(submitter) })).statusCode).toBe(403);
    }
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/forms', headers: auth(submitter), payload: { formId: 'x', graphId: formGraph } })).statusCode).toBe(403);
    const viewer = await api.key(ORG, 'viewer');
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/forms', headers: auth(viewer) })).statusCode).toBe(403);
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/forms', headers: auth(operator), payload: { formId: 'contact', graphId: formGraph } })).statusCode).toBe(409);
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/forms', headers: auth(operator), payload: { formId: 'other', graphId: 'no-such-graph' } })).statusCode).toBe(404);
    const listed = await api.app.inject({ method: 'GET', url: '/api/v1/forms', headers: auth(operator) });
    expect(listed.json().map((form: { formId: string }) => form.formId)).toEqual(['contact']);
    const otherOrg = await api.key(OTHER, 'operator');
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/forms', headers: auth(otherOrg) })).json()).toEqual([]);
    expect((await api.app.inject({ method: 'DELETE', url: '/api/v1/forms/contact', headers: auth(otherOrg) })).statusCode).toBe(404);
  });
});

describe('wf form and a submitter key', () => {
  const wf = (args: string[]) => runWf(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, WF_ORG: ORG });

  test('create, list and delete forms; `wf key create --role submitter` makes a key that submits', async () => {
    const created = await wf(['form', 'create', 'signup', '--graph', `${formGraph}@1`, '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ formId: 'signup', graphId: formGraph, graphVersion: 1 });
    expect((await wf(['form', 'create', 'signup', '--graph', formGraph])).code).toBe(2);
    expect((await wf(['form', 'create', 'Bad Id', '--graph', formGraph])).stderr).toContain('$.formId');
    expect((await wf(['form', 'create', 'nowhere', '--graph', 'no-such-graph'])).code).toBe(2);
    expect(JSON.parse((await wf(['form', 'list', '--json'])).stdout).map((form: { formId: string }) => form.formId)).toEqual(['contact', 'signup']);
    expect((await wf(['form', 'list'])).stdout).toContain('signup');

    const key = await wf(['key', 'create', '--org', ORG, '--role', 'submitter', '--json']);
    expect(key.code).toBe(0);
    const { apiKey, role } = JSON.parse(key.stdout);
    expect(role).toBe('submitter');
    const submitted = await submit('signup', apiKey, { submissionId: 'cli-1', data: { email: 'c@example.org' } });
    expect(submitted.statusCode).toBe(202);
    expect(submitted.json().executionIds).toHaveLength(1); // the follow-up trigger's filter wants "contact"
    expect((await engine.client.waitForEnd(ORG, submitted.json().executionIds[0])).output).toEqual({ to: 'c@example.org', form: 'signup' });
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/forms', headers: auth(apiKey) })).statusCode).toBe(403);

    expect((await wf(['form', 'delete', 'signup', '--org', OTHER])).code).toBe(2);
    expect((await wf(['form', 'delete', 'signup'])).code).toBe(0);
    expect((await submit('signup', apiKey, { submissionId: 'cli-2', data: {} })).statusCode).toBe(404);
    expect((await wf(['form', 'delete', 'signup'])).code).toBe(2);
  });
});

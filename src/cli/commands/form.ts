/** `wf form create | list | delete`: forms whose submissions start a graph (DESIGN §10). */
import type { FormView } from '../../store/forms/form-view';
import { configWithOrg, withClient } from '../context';
import { EXIT } from '../exit-codes';
import { parseGraphRef } from '../graph-ref';

type Out = (line: string) => void;

function formText(form: FormView): string {
  return `${form.formId}  ${form.graphId}${form.graphVersion === null ? ' (latest at each submission)' : ` v${form.graphVersion}`}  created ${form.createdAt}`;
}

export async function formCreateCommand(formId: string, options: { graph: string; org?: string; json?: boolean }, out: Out): Promise<number> {
  const ref = parseGraphRef(options.graph, '--graph');
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const form = await client.forms.create(config.organizationId, formId, ref.graphId, ref.version);
    if (options.json) out(JSON.stringify(form));
    else out(`created form ${formText(form)}\nsubmit with POST /api/v1/forms/${form.formId}/submissions {"submissionId", "data"} (an operator or submitter key)`);
    return EXIT.ok;
  });
}

export async function formListCommand(options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const forms = await client.forms.list(config.organizationId);
    if (options.json) out(JSON.stringify(forms));
    else if (forms.length === 0) out('no forms');
    else for (const form of forms) out(formText(form));
    return EXIT.ok;
  });
}

export async function formDeleteCommand(formId: string, options: { org?: string }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    await client.forms.delete(config.organizationId, formId);
    out(`deleted form ${formId}`);
    return EXIT.ok;
  });
}

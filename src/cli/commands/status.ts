import { configWithOrg, withClient } from '../context';
import { executionJson, executionText } from '../execution-json';
import { exitCodeForStatus } from '../exit-codes';

/** `wf status ID`: the execution as the mirror shows it. */
export async function statusCommand(executionId: string, options: { json?: boolean; org?: string }, out: (line: string) => void): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const view = await client.status(config.organizationId, executionId);
    out(options.json ? JSON.stringify(executionJson(view)) : executionText(view));
    return exitCodeForStatus(view.status);
  });
}

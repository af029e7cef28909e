import type { Json } from '../../workflows/graph/types';
import { configWithOrg, withClient } from '../context';
import { EXIT } from '../exit-codes';
import { parseJson } from '../read-json';

/** `wf signal ID NAME [--payload JSON]`: delivers a signal a `wait` node waits for. */
export async function signalCommand(executionId: string, name: string, options: { payload?: string; org?: string }, out: (line: string) => void): Promise<number> {
  const payload = (options.payload !== undefined ? parseJson(options.payload, '--payload') : null) as Json;
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    await client.signal(config.organizationId, executionId, name, payload);
    out(`signal "${name}" sent to ${executionId}`);
    return EXIT.ok;
  });
}

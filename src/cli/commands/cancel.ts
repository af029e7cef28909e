import { configWithOrg, withClient } from '../context';
import { EXIT } from '../exit-codes';

/** `wf cancel ID`: asks Temporal to cancel; running nodes are cancelled, the execution ends cancelled. */
export async function cancelCommand(executionId: string, options: { org?: string }, out: (line: string) => void): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    await client.cancel(config.organizationId, executionId);
    out(`cancellation requested for ${executionId}`);
    return EXIT.ok;
  });
}

/** `wf trigger create | list | delete`: events of a type (passing an optional CEL filter) start a graph. */
import type { TriggerView } from '../../store/triggers/trigger-view';
import { CliError } from '../cli-error';
import { configWithOrg, withClient } from '../context';
import { EXIT } from '../exit-codes';
import { parseGraphRef } from '../graph-ref';

type Out = (line: string) => void;

/** As POST /api/v1/events and /api/v1/triggers accept them (src/api/routes/events.ts). */
const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,200}$/;

function triggerText(trigger: TriggerView): string {
  return `${trigger.triggerId}  ${trigger.eventType}  ${trigger.graphId}${trigger.graphVersion === null ? ' (latest)' : ` v${trigger.graphVersion}`}${trigger.filter ? `  filter ${JSON.stringify(trigger.filter)}` : ''}`;
}

export async function triggerCreateCommand(eventType: string, options: { graph: string; filter?: string; org?: string; json?: boolean }, out: Out): Promise<number> {
  if (!EVENT_TYPE.test(eventType)) throw new CliError(`event type ${JSON.stringify(eventType)}: letters, digits, _ . : - (1 to 200)`, EXIT.invalid);
  const ref = parseGraphRef(options.graph, '--graph');
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const trigger = await client.createTrigger(config.organizationId, eventType, ref.graphId, ref.version, options.filter);
    out(options.json ? JSON.stringify(trigger) : `created trigger ${triggerText(trigger)}`);
    return EXIT.ok;
  });
}

export async function triggerListCommand(options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const triggers = await client.listTriggers(config.organizationId);
    if (options.json) out(JSON.stringify(triggers));
    else if (triggers.length === 0) out('no triggers');
    else for (const trigger of triggers) out(triggerText(trigger));
    return EXIT.ok;
  });
}

export async function triggerDeleteCommand(id: string, options: { org?: string }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    await client.deleteTrigger(config.organizationId, id);
    out(`deleted trigger ${id}`);
    return EXIT.ok;
  });
}

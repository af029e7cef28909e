/**
 * The commander definitions of `wf schedule`, `wf trigger` and `wf form` (DESIGN §7, §10).
 * As in main.ts, each command's module is imported only when it runs.
 */
import type { Command } from 'commander';

type Out = (line: string) => void;

const ORG = ['--org <org>', 'organization (default: WF_ORG or "default")'] as const;

export function registerIoCommands(program: Command, setExit: (code: number) => void, out: Out): void {
  const schedules = () => import('./commands/schedule');
  const triggers = () => import('./commands/trigger');
  const forms = () => import('./commands/form');

  const schedule = program.command('schedule').description('Temporal Schedules that start a graph');
  schedule
    .command('create')
    .description('start GRAPH[@VERSION] on a cron or every interval (no version: the latest, pinned now)')
    .argument('<graph>', 'GRAPH or GRAPH@VERSION of a stored graph')
    .option('--cron <expr>', 'cron expression, e.g. "*/5 * * * *"')
    .option('--every <duration>', 'interval in whole seconds, e.g. 30s, 10m')
    .option('--input <json>', 'execution input as JSON (the same for every run)')
    .option('--overlap <policy>', 'a run due while one runs: skip (default), buffer or allow')
    .option(...ORG)
    .option('--json', 'print one JSON object')
    .action(async (graph: string, options) => setExit(await (await schedules()).scheduleCreateCommand(graph, options, out)));
  schedule
    .command('list')
    .description("the organization's schedules")
    .option(...ORG)
    .option('--json', 'print a JSON array')
    .action(async (options) => setExit(await (await schedules()).scheduleListCommand(options, out)));
  for (const action of ['pause', 'resume'] as const) {
    schedule
      .command(action)
      .description(action === 'pause' ? 'take no more runs until resumed' : 'take runs again')
      .argument('<id>')
      .option(...ORG)
      .option('--json', 'print one JSON object')
      .action(async (id: string, options) => setExit(await (await schedules()).scheduleStateCommand(action, id, options, out)));
  }
  schedule
    .command('delete')
    .description('delete a schedule (its executions stay)')
    .argument('<id>')
    .option(...ORG)
    .action(async (id: string, options) => setExit(await (await schedules()).scheduleDeleteCommand(id, options, out)));

  const trigger = program.command('trigger').description('events of a type start a graph');
  trigger
    .command('create')
    .description('events of EVENT_TYPE (that pass --filter) start the graph')
    .argument('<eventType>')
    .requiredOption('--graph <graph>', 'GRAPH (latest at each event) or GRAPH@VERSION')
    .option('--filter <expr>', 'CEL over event ({id, type, payload}), e.g. "event.payload.total > 100"')
    .option(...ORG)
    .option('--json', 'print one JSON object')
    .action(async (eventType: string, options) => setExit(await (await triggers()).triggerCreateCommand(eventType, options, out)));
  trigger
    .command('list')
    .description("the organization's triggers")
    .option(...ORG)
    .option('--json', 'print a JSON array')
    .action(async (options) => setExit(await (await triggers()).triggerListCommand(options, out)));
  trigger
    .command('delete')
    .argument('<id>')
    .option(...ORG)
    .action(async (id: string, options) => setExit(await (await triggers()).triggerDeleteCommand(id, options, out)));

  const form = program.command('form').description('forms whose submissions start a graph');
  form
    .command('create')
    .description('register FORM_ID: each submission starts the graph with {formId, submissionId, data}')
    .argument('<formId>')
    .requiredOption('--graph <graph>', 'GRAPH (latest at each submission) or GRAPH@VERSION')
    .option(...ORG)
    .option('--json', 'print one JSON object')
    .action(async (formId: string, options) => setExit(await (await forms()).formCreateCommand(formId, options, out)));
  form
    .command('list')
    .description("the organization's forms")
    .option(...ORG)
    .option('--json', 'print a JSON array')
    .action(async (options) => setExit(await (await forms()).formListCommand(options, out)));
  form
    .command('delete')
    .argument('<formId>')
    .option(...ORG)
    .action(async (formId: string, options) => setExit(await (await forms()).formDeleteCommand(formId, options, out)));
}

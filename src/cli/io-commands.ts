/**
 * The commander definitions of `wf schedule`, `wf trigger`, `wf form` and `wf knowledge` (DESIGN §7, §10, §12).
 * As in main.ts, each command's module is imported only when it runs.
 */
import { InvalidArgumentError, type Command } from 'commander';

type Out = (line: string) => void;

const ORG = ['--org <org>', 'organization (default: WF_ORG or "default")'] as const;

export function registerIoCommands(program: Command, setExit: (code: number) => void, out: Out): void {
  const schedules = () => import('./commands/schedule');
  const triggers = () => import('./commands/trigger');
  const forms = () => import('./commands/form');
  const knowledge = () => import('./commands/knowledge');

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

  const corpora = program.command('knowledge').description('knowledge corpora: ingest documents, search them (DESIGN §12)');
  const scopeOption = ['--scope <key=value>', 'a scope label (repeatable)', (pair: string, scope?: Record<string, string>) => collectScopePair(pair, scope)] as const;
  corpora
    .command('ingest')
    .description('ingest text (.txt), Markdown (.md) and JSON (.json) files into CORPUS (made when missing); waits until each is ready or failed')
    .argument('<corpus>', 'corpus name')
    .argument('<files...>', 'files to ingest (the file name names the document)')
    .option(...scopeOption)
    .option('--no-wait', 'return once the documents are stored and their ingest workflows started')
    .option(...ORG)
    .option('--json', 'print one JSON object')
    .action(async (corpus: string, files: string[], options) => setExit(await (await knowledge()).knowledgeIngestCommand(corpus, files, options, out)));
  corpora
    .command('search')
    .description('the top chunks for QUERY in CORPUS, or with --scope in every corpus whose scope has those labels, by cosine')
    .argument('<corpus>', 'corpus name (with --scope, leave it out: the first argument is the query)')
    .argument('[query]', 'what to look for')
    .option('--top-k <n>', 'how many matches (default 5, at most 100)')
    .option('--min-score <x>', 'lowest score (a cosine, -1 to 1; default: above 0)')
    .option(...scopeOption)
    .option(...ORG)
    .option('--json', 'print one JSON object')
    .action(async (first: string, second: string | undefined, options) => setExit(await (await knowledge()).knowledgeSearchCommand(second === undefined ? undefined : first, second ?? first, options, out)));
  corpora
    .command('corpora')
    .description("the organization's corpora with their status and sizes")
    .option(...ORG)
    .option('--json', 'print JSON')
    .action(async (options) => setExit(await (await knowledge()).knowledgeCorporaCommand(options, out)));
  corpora
    .command('documents')
    .description("a corpus's documents and their status")
    .argument('<corpus>', 'corpus name')
    .option(...ORG)
    .option('--json', 'print JSON')
    .action(async (corpus: string, options) => setExit(await (await knowledge()).knowledgeDocumentsCommand(corpus, options, out)));
}

/** `--scope key=value`, repeatable; parsed here so a bad pair is refused before anything runs. */
function collectScopePair(pair: string, scope: Record<string, string> = {}): Record<string, string> {
  const at = pair.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`--scope takes key=value, got "${pair}"`);
  return { ...scope, [pair.slice(0, at)]: pair.slice(at + 1) };
}

/**
 * `wf`, the command line of the engine (DESIGN §7). Parsing by commander; every error
 * becomes a message and an exit code in one place (cli-error.ts; a bad environment variable,
 * ConfigError, is a usage error).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { EXIT } from './exit-codes';
import { registerIoCommands } from './io-commands';

// Commands are imported when they run, not before: `wf --help` loads commander alone, and
// each command only what it uses (BENCHMARKS.md, "CLI start-up"). scripts/build.mjs splits the
// compiled CLI at these imports.
const commands = {
  cancel: () => import('./commands/cancel'),
  dlq: () => import('./commands/dlq'),
  key: () => import('./commands/key'),
  org: () => import('./commands/org'),
  queue: () => import('./commands/queue'),
  replay: () => import('./commands/replay'),
  run: () => import('./commands/run'),
  secret: () => import('./commands/secret'),
  signal: () => import('./commands/signal'),
  status: () => import('./commands/status'),
  validate: () => import('./commands/validate'),
  webhook: () => import('./commands/webhook'),
};

export async function main(argv: string[]): Promise<number> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
  let exitCode: number = EXIT.ok;
  const program = new Command('wf')
    .description('Run and inspect workflow graphs on the durable engine')
    .exitOverride()
    .configureOutput({ writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError();

  program
    .command('run')
    .description('validate, store and run a graph; waits and shows progress unless --detach')
    .argument('<file>', 'graph document (JSON)')
    .option('--input <json>', 'execution input as JSON')
    .option('--input-file <path>', 'execution input from a JSON file')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--detach', 'start and return without waiting')
    .option('--json', 'print one JSON object')
    .action(async (file: string, options) => {
      exitCode = await (await commands.run()).runCommand(file, options, { out, err, interactive: process.stderr.isTTY === true });
    });

  program
    .command('validate')
    .description('check a graph document; exit 2 with every problem when invalid')
    .argument('<file>', 'graph document (JSON)')
    .action(async (file: string) => {
      exitCode = (await commands.validate()).validateCommand(file, out);
    });

  program
    .command('status')
    .description('show an execution and its steps, or with --context its execution context')
    .argument('<executionId>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print one JSON object')
    .option('--context', 'show the execution context (node statuses and outputs) at a snapshot, and the list of snapshots')
    .option('--sequence <n>', 'the context snapshot to show (implies --context; default the latest)')
    .action(async (executionId: string, options) => {
      exitCode = await (await commands.status()).statusCommand(executionId, options, out);
    });

  program
    .command('cancel')
    .description('cancel a running execution')
    .argument('<executionId>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (executionId: string, options) => {
      exitCode = await (await commands.cancel()).cancelCommand(executionId, options, out);
    });

  program
    .command('signal')
    .description('send a signal to an execution (what a wait node waits for)')
    .argument('<executionId>')
    .argument('<name>', 'signal name (the wait node\'s config.signal)')
    .option('--payload <json>', 'payload as JSON (the wait node\'s output)')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (executionId: string, name: string, options) => {
      exitCode = await (await commands.signal()).signalCommand(executionId, name, options, out);
    });

  program
    .command('queue')
    .description('concurrency queues (settings.concurrency)')
    .command('stats')
    .description('active and queued executions of a concurrency key')
    .argument('<key>', 'the evaluated concurrency key')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print one JSON object')
    .action(async (key: string, options) => {
      exitCode = await (await commands.queue()).queueStatsCommand(key, options, out);
    });

  const dlq = program.command('dlq').description('dead letters: executions that failed for good');
  dlq
    .command('list')
    .description('list open dead letters, newest first')
    .option('--graph <id>', 'only this graph')
    .option('--since <duration>', 'only this recent, e.g. 24h, 7d')
    .option('--all', 'include retried and purged ones')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print a JSON array')
    .action(async (options) => {
      exitCode = await (await commands.dlq()).dlqListCommand(options, out);
    });
  dlq
    .command('show')
    .description('show a dead letter and its execution')
    .argument('<id>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print one JSON object')
    .action(async (id: string, options) => {
      exitCode = await (await commands.dlq()).dlqShowCommand(id, options, out);
    });
  dlq
    .command('retry')
    .description('retry as a new execution: from the start, or --resume at the failed nodes reusing completed outputs')
    .argument('<id>')
    .option('--resume', 'reuse what completed; start at the failed node(s)')
    .option('--input <json>', 'replace the execution input')
    .option('--detach', 'start and return without waiting')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print the new execution as one JSON object')
    .action(async (id: string, options) => {
      exitCode = await (await commands.dlq()).dlqRetryCommand(id, options, out);
    });
  dlq
    .command('purge')
    .description('drop a dead letter (an audit row keeps who and when)')
    .argument('<id>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (id: string, options) => {
      exitCode = await (await commands.dlq()).dlqPurgeCommand(id, options, out);
    });

  const org = program.command('org').description('organizations (direct to PostgreSQL)');
  org
    .command('create')
    .description('create an organization and its admin API key (the key is shown once)')
    .argument('<name>', 'display name; the id is derived from it')
    .option('--json', 'print one JSON object')
    .action(async (name: string, options) => {
      exitCode = await (await commands.org()).orgCreateCommand(name, options, out);
    });

  const key = program.command('key').description('API keys of an organization (direct to PostgreSQL)');
  key
    .command('create')
    .description('create an API key (shown once)')
    .requiredOption('--org <org>', 'organization')
    .requiredOption('--role <role>', 'admin, operator, viewer or submitter (form submissions only)')
    .option('--name <name>', 'a label for the key')
    .option('--json', 'print one JSON object')
    .action(async (options) => {
      exitCode = await (await commands.key()).keyCreateCommand(options, out);
    });
  key
    .command('revoke')
    .description('revoke an active API key')
    .argument('<keyId>', 'the key id (key_…)')
    .option('--org <org>', 'only if the key belongs to this organization')
    .action(async (keyId: string, options) => {
      exitCode = await (await commands.key()).keyRevokeCommand(keyId, options, out);
    });
  key
    .command('list')
    .description('list the keys of an organization (never their secrets)')
    .requiredOption('--org <org>', 'organization')
    .option('--json', 'print a JSON array')
    .action(async (options) => {
      exitCode = await (await commands.key()).keyListCommand(options, out);
    });

  const secret = program.command('secret').description('secrets of an organization, stored encrypted (direct to PostgreSQL; needs WF_SECRETS_KEY)');
  secret
    .command('set')
    .description('store a secret (replacing one of that name); the value from --value, --from-file or stdin, never printed')
    .argument('<name>', 'a-z, 0-9, ".", "_", "-"; up to 64 characters')
    .option('--value <value>', 'the value (visible in your shell history: prefer --from-file or stdin)')
    .option('--from-file <path>', 'the value is this file\'s content (one final newline dropped)')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (name: string, options) => {
      const command = await commands.secret();
      exitCode = await command.secretSetCommand(name, options, { isTTY: process.stdin.isTTY === true, read: command.readAllStdin }, out);
    });
  secret
    .command('list')
    .description('names and times of the stored secrets (never their values)')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print a JSON array')
    .action(async (options) => {
      exitCode = await (await commands.secret()).secretListCommand(options, out);
    });
  secret
    .command('delete')
    .description('delete a stored secret')
    .argument('<name>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (name: string, options) => {
      exitCode = await (await commands.secret()).secretDeleteCommand(name, options, out);
    });
  secret
    .command('reencrypt')
    .description('after a key rotation: seal every secret (of every organization) sealed with WF_SECRETS_KEY_PREVIOUS again with WF_SECRETS_KEY')
    .action(async () => {
      exitCode = await (await commands.secret()).secretReencryptCommand(out, err);
    });
  const webhook = program.command('webhook').description('webhooks: URLs that receive the organization\'s events, signed (direct to PostgreSQL)');
  webhook
    .command('create')
    .description('subscribe a URL to events; prints the signing secret once')
    .requiredOption('--url <url>', 'http or https URL that receives the POSTs')
    .requiredOption('--events <list>', 'comma-separated: execution.failed, execution.timed_out, dead_letter.created, dead_letter.resolved, worker.unhealthy, notify.<name>, *')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print one JSON object')
    .action(async (options) => {
      exitCode = await (await commands.webhook()).webhookCreateCommand(options, out);
    });
  webhook
    .command('list')
    .description('list the organization\'s webhooks (never their secrets)')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print a JSON array')
    .action(async (options) => {
      exitCode = await (await commands.webhook()).webhookListCommand(options, out);
    });
  webhook
    .command('delete')
    .description('delete a webhook: nothing more is sent to it')
    .argument('<id>', 'the webhook id (wh_…)')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (id: string, options) => {
      exitCode = await (await commands.webhook()).webhookDeleteCommand(id, options, out);
    });
  program
    .command('notifications')
    .description('notifications sent to webhooks')
    .command('list')
    .description('list notifications, newest first')
    .option('--status <status>', 'pending, delivering, delivered or failed')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print a JSON array')
    .action(async (options) => {
      exitCode = await (await commands.webhook()).notificationsListCommand(options, out);
    });
  registerIoCommands(program, (code) => void (exitCode = code), out);

  program
    .command('replay')
    .description('replay a history against the current workflow code; exit 1 when it is not deterministic')
    .option('--execution <id>', 'the latest run of this execution (workflow id), fetched from Temporal')
    .option('--file <path>', 'a history file (JSON of `temporal workflow show --output json`)')
    .action(async (options) => {
      exitCode = await (await commands.replay()).replayCommand(options, out);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    }
    if (error instanceof ConfigError) {
      err(`wf: ${error.message}`);
      return EXIT.invalid;
    }
    const { describeError } = await import('./cli-error');
    const { lines, exitCode: code } = describeError(error);
    for (const line of lines) err(line);
    return code;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`wf: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.executionFailed;
  },
);

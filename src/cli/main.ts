/**
 * `wf`, the command line of the engine (DESIGN §7). Parsing by commander; every error
 * becomes a message and an exit code in one place (cli-error.ts).
 */
import { Command, CommanderError } from 'commander';
import { describeError } from './cli-error';
import { cancelCommand } from './commands/cancel';
import { dlqListCommand, dlqPurgeCommand, dlqRetryCommand, dlqShowCommand } from './commands/dlq';
import { keyCreateCommand, keyListCommand, keyRevokeCommand } from './commands/key';
import { orgCreateCommand } from './commands/org';
import { queueStatsCommand } from './commands/queue';
import { signalCommand } from './commands/signal';
import { replayCommand } from './commands/replay';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';
import { validateCommand } from './commands/validate';
import { EXIT } from './exit-codes';

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
      exitCode = await runCommand(file, options, { out, err, interactive: process.stderr.isTTY === true });
    });

  program
    .command('validate')
    .description('check a graph document; exit 2 with every problem when invalid')
    .argument('<file>', 'graph document (JSON)')
    .action((file: string) => {
      exitCode = validateCommand(file, out);
    });

  program
    .command('status')
    .description('show an execution and its steps')
    .argument('<executionId>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print one JSON object')
    .action(async (executionId: string, options) => {
      exitCode = await statusCommand(executionId, options, out);
    });

  program
    .command('cancel')
    .description('cancel a running execution')
    .argument('<executionId>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (executionId: string, options) => {
      exitCode = await cancelCommand(executionId, options, out);
    });

  program
    .command('signal')
    .description('send a signal to an execution (what a wait node waits for)')
    .argument('<executionId>')
    .argument('<name>', 'signal name (the wait node\'s config.signal)')
    .option('--payload <json>', 'payload as JSON (the wait node\'s output)')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (executionId: string, name: string, options) => {
      exitCode = await signalCommand(executionId, name, options, out);
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
      exitCode = await queueStatsCommand(key, options, out);
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
      exitCode = await dlqListCommand(options, out);
    });
  dlq
    .command('show')
    .description('show a dead letter and its execution')
    .argument('<id>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .option('--json', 'print one JSON object')
    .action(async (id: string, options) => {
      exitCode = await dlqShowCommand(id, options, out);
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
      exitCode = await dlqRetryCommand(id, options, out);
    });
  dlq
    .command('purge')
    .description('drop a dead letter (an audit row keeps who and when)')
    .argument('<id>')
    .option('--org <org>', 'organization (default: WF_ORG or "default")')
    .action(async (id: string, options) => {
      exitCode = await dlqPurgeCommand(id, options, out);
    });

  const org = program.command('org').description('organizations (direct to PostgreSQL)');
  org
    .command('create')
    .description('create an organization and its admin API key (the key is shown once)')
    .argument('<name>', 'display name; the id is derived from it')
    .option('--json', 'print one JSON object')
    .action(async (name: string, options) => {
      exitCode = await orgCreateCommand(name, options, out);
    });

  const key = program.command('key').description('API keys of an organization (direct to PostgreSQL)');
  key
    .command('create')
    .description('create an API key (shown once)')
    .requiredOption('--org <org>', 'organization')
    .requiredOption('--role <role>', 'admin, operator or viewer')
    .option('--name <name>', 'a label for the key')
    .option('--json', 'print one JSON object')
    .action(async (options) => {
      exitCode = await keyCreateCommand(options, out);
    });
  key
    .command('revoke')
    .description('revoke an active API key')
    .argument('<keyId>', 'the key id (key_…)')
    .option('--org <org>', 'only if the key belongs to this organization')
    .action(async (keyId: string, options) => {
      exitCode = await keyRevokeCommand(keyId, options, out);
    });
  key
    .command('list')
    .description('list the keys of an organization (never their secrets)')
    .requiredOption('--org <org>', 'organization')
    .option('--json', 'print a JSON array')
    .action(async (options) => {
      exitCode = await keyListCommand(options, out);
    });

  program
    .command('replay')
    .description('replay a history against the current workflow code; exit 1 when it is not deterministic')
    .option('--execution <id>', 'the latest run of this execution (workflow id), fetched from Temporal')
    .option('--file <path>', 'a history file (JSON of `temporal workflow show --output json`)')
    .action(async (options) => {
      exitCode = await replayCommand(options, out);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    }
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

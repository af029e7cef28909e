/**
 * `wf`, the command line of the engine (DESIGN §7). Parsing by commander; every error
 * becomes a message and an exit code in one place (cli-error.ts).
 */
import { Command, CommanderError } from 'commander';
import { describeError } from './cli-error';
import { cancelCommand } from './commands/cancel';
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

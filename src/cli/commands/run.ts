import type { Json } from '../../workflows/graph/types';
import { CliError } from '../cli-error';
import { configWithOrg, withClient } from '../context';
import { executionJson, executionText } from '../execution-json';
import { EXIT, exitCodeForStatus } from '../exit-codes';
import { watchProgress } from '../progress';
import { parseJson, readJsonFile } from '../read-json';

export interface RunOptions {
  input?: string;
  inputFile?: string;
  org?: string;
  detach?: boolean;
  json?: boolean;
}

export interface Terminal {
  out(line: string): void;
  err(line: string): void;
  /** Whether stderr is a terminal (live progress goes there). */
  interactive: boolean;
}

/**
 * `wf run FILE`: validates, stores the graph version, starts an execution and (unless
 * --detach) waits for it, showing per-node progress on a terminal.
 */
export async function runCommand(file: string, options: RunOptions, terminal: Terminal): Promise<number> {
  if (options.input !== undefined && options.inputFile !== undefined) {
    throw new CliError('give --input or --input-file, not both', EXIT.invalid);
  }
  const graph = readJsonFile(file, 'graph file');
  const input = (options.inputFile !== undefined ? readJsonFile(options.inputFile, 'input file') : options.input !== undefined ? parseJson(options.input, '--input') : undefined) as Json | undefined;
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const started = await client.start({ organizationId: config.organizationId, graph, input });
    if (options.detach) {
      terminal.out(options.json ? JSON.stringify({ executionId: started.executionId, status: started.status }) : `started ${started.executionId}`);
      return EXIT.ok;
    }
    if (terminal.interactive) terminal.err(`started ${started.executionId} (graph ${started.graphId} v${started.graphVersion}${started.graphStored === 'created' ? ', stored' : ''})`);
    const progress = terminal.interactive ? watchProgress(client, config.organizationId, started.executionId, terminal.err) : undefined;
    try {
      const view = await client.waitForEnd(config.organizationId, started.executionId);
      progress?.finish(view);
      terminal.out(options.json ? JSON.stringify(executionJson(view)) : executionText(view));
      return exitCodeForStatus(view.status);
    } finally {
      progress?.finish();
    }
  });
}

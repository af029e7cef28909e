import { validateGraph } from '../../workflows/graph/validate';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { readJsonFile } from '../read-json';

/** `wf validate FILE`: exit 0 and a summary when valid; exit 2 with every problem otherwise. */
export function validateCommand(file: string, out: (line: string) => void): number {
  const document = readJsonFile(file, 'graph file');
  const result = validateGraph(document);
  if (!result.ok) {
    const count = result.problems.length;
    throw new CliError(`${file} is invalid (${count} problem${count === 1 ? '' : 's'}):`, EXIT.invalid, result.problems.map((p) => `  ${p.path}: ${p.message}`));
  }
  const graph = result.graph;
  out(`${file} is valid: graph "${graph.id}" version ${graph.version}, ${graph.nodes.length} node${graph.nodes.length === 1 ? '' : 's'}, ${graph.edges.length} edge${graph.edges.length === 1 ? '' : 's'}`);
  return EXIT.ok;
}

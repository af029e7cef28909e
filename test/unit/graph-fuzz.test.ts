/**
 * 10,000 generated graph documents through validation (DESIGN §14): none crashes it, every
 * refusal names a JSON path and carries no stack trace, and a valid document validates
 * again to the same graph. The real runs of a sample are in test/integration/graph-fuzz-run.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { validateGraph } from '../../src/workflows/graph/validate';
import { graphDocument } from '../helpers/graph-arbitrary';

const DOCUMENTS = 10_000;
const STACK_LINE = /\n\s+at |\.ts:\d+|node_modules/;

test(`${DOCUMENTS} generated documents: no crash, every refusal has a path and no stack trace`, () => {
  const documents = fc.sample(graphDocument, { numRuns: DOCUMENTS, seed: 20261201 });
  let valid = 0;
  for (const document of documents) {
    let result: ReturnType<typeof validateGraph>;
    try {
      result = validateGraph(document);
    } catch (error) {
      throw new Error(`validation threw on ${JSON.stringify(document)?.slice(0, 500)}: ${String(error)}`);
    }
    if (result.ok) {
      valid += 1;
      expect(validateGraph(JSON.parse(JSON.stringify(result.graph))).ok).toBe(true);
      continue;
    }
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) {
      expect(problem.path, JSON.stringify(problem)).toMatch(/^\$/);
      expect(problem.message.length).toBeGreaterThan(0);
      expect(problem.message).not.toMatch(STACK_LINE);
    }
  }
  // The generator must exercise both sides, or the property says little.
  expect(valid).toBeGreaterThan(DOCUMENTS * 0.05);
  expect(DOCUMENTS - valid).toBeGreaterThan(DOCUMENTS * 0.5);
  // ~15 s on an idle 2-core machine, 80 s beside other test files and builds: CPU-bound, not a time limit.
}, 300_000);

/**
 * How every workflow bundle of the engine is built (the worker's own, the tests' and the
 * benchmark's prebuilt ones, the replayer's).
 *
 * Workflow modules are evaluated once per execution (the SDK gives each workflow its own
 * module cache), so a large library's module code runs for every execution: zod's and
 * cel-js's were about a tenth of a chain execution's workflow-task time. `preloadModules`
 * evaluates them once per worker thread and shares them, deep-frozen, across executions.
 * Only libraries that keep no per-execution state at module level belong here; our own
 * modules do not (zod schemas, for one, define properties lazily and cannot be frozen),
 * except workflows/shared-once.ts, which imports nothing and holds the schemas that every
 * execution would build alike, built once per thread (its comment says why that is safe).
 */
import { fileURLToPath } from 'node:url';

const workflowModule = (path: string): string => fileURLToPath(new URL(`./workflows/${path}`, import.meta.url));

/** zod and cel-js (through workflows/preloaded-libraries.ts: a bare `require('zod')` is compiled away), and the shared schemas. */
export const PRELOADED_WORKFLOW_MODULES: readonly string[] = [workflowModule('preloaded-libraries.ts'), workflowModule('shared-once.ts')];

/** bundleWorkflowCode's and WorkerOptions.bundlerOptions' setting. */
export const WORKFLOW_BUNDLER_OPTIONS = { preloadModules: [...PRELOADED_WORKFLOW_MODULES] };

import { fileURLToPath } from 'node:url';

/** The workflow interceptors a traced worker's bundle must include (bundleWorkflowCode's workflowInterceptorModules). */
export const WORKFLOW_TRACING_MODULES = [fileURLToPath(new URL('../workflows/tracing-interceptors.ts', import.meta.url))];

import { z } from 'zod';
import type { NodeTypeSpec } from './common';

/** `noop`: output = input. Runs inline in the workflow. */
const config = z.strictObject({}).optional();
export const noop: NodeTypeSpec = { runtime: 'inline', configSchema: config, renderedSchema: config };

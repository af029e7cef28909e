import { z } from 'zod';
import { durationString, type NodeTypeSpec } from './common';

/**
 * `wait`: waits for the signal `config.signal` (e.g. a human approval) and outputs its
 * payload; fails with `WaitTimeout` after `config.timeout`, if given. A signal sent before
 * the node starts waits for it.
 */
const config = z.strictObject({
  signal: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, { message: 'signal name: letters, digits, _ . - (start with a letter or _)' }),
  timeout: durationString.optional(),
});

export const wait: NodeTypeSpec = { runtime: 'signal', configSchema: config, renderedSchema: config };

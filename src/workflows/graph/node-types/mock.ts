import { z } from 'zod';
import { templated, type NodeTypeSpec } from './common';

/**
 * `mock`: an activity for demos, tests and benchmarks. `output` is templated; `delayMs` applies
 * to every attempt before it returns or fails; `failAttempts` fails the first N attempts
 * (retryably); `fail` always fails; `heartbeat` makes it heartbeat while it waits.
 */
function mockConfig(literal: <T extends z.ZodType>(schema: T) => z.ZodType) {
  return z
    .strictObject({
      output: z.unknown().optional(),
      delayMs: literal(z.number().int().min(0).max(86_400_000)).optional(),
      failAttempts: literal(z.number().int().min(0).max(100)).optional(),
      fail: z
        .strictObject({
          type: z.string().min(1).max(200).optional(),
          message: z.string().max(2000).optional(),
          nonRetryable: z.boolean().optional(),
        })
        .optional(),
      heartbeat: z.boolean().optional(),
    })
    .optional();
}

export const mockRenderedSchema = mockConfig((schema) => schema);

/** The rendered config the mock activity receives. */
export interface MockConfig {
  output?: unknown;
  delayMs?: number;
  failAttempts?: number;
  fail?: { type?: string; message?: string; nonRetryable?: boolean };
  heartbeat?: boolean;
}

export const mock: NodeTypeSpec = {
  runtime: 'activity',
  configSchema: mockConfig(templated),
  renderedSchema: mockRenderedSchema,
};

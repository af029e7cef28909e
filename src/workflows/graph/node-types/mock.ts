import { z } from 'zod';
import { literal, templated, withSchemas, type ActivityNodeType } from './common';

/**
 * `mock`: an activity for demos, tests and benchmarks. `output` is templated; `delayMs` applies
 * to every attempt before it returns or fails; `failAttempts` fails the first N attempts
 * (retryably); `fail` always fails; `heartbeat` makes it heartbeat while it waits;
 * `outputBytes: N` adds a field `filler` of N characters to its output (large outputs for
 * tests and benchmarks, DESIGN §11). The activity is src/activities/nodes/mock.ts.
 */
/** 64 MiB: far past any inline limit, short of what one jsonb value may hold. */
const MAX_FILLER_BYTES = 64 * 1024 * 1024;

// `field` makes a number field literal (rendered) or templated (as written); both share this one shape.
function mockConfig<Field extends z.ZodType>(field: (schema: z.ZodNumber) => Field) {
  return z
    .strictObject({
      output: z.unknown().optional(),
      delayMs: field(z.number().int().min(0).max(86_400_000)).optional(),
      failAttempts: field(z.number().int().min(0).max(100)).optional(),
      fail: z
        .strictObject({
          type: z.string().min(1).max(200).optional(),
          message: z.string().max(2000).optional(),
          nonRetryable: z.boolean().optional(),
        })
        .optional(),
      heartbeat: z.boolean().optional(),
      outputBytes: field(z.number().int().min(0).max(MAX_FILLER_BYTES)).optional(),
    })
    .optional();
}

const renderedMockConfig = () => mockConfig(literal);

/** The rendered config the mock activity receives. */
export type MockConfig = z.infer<ReturnType<typeof renderedMockConfig>>;

export const mock = withSchemas(
  'mock',
  {
    runtime: 'activity',
    compensable: true,
    // It heartbeats every second while it waits (src/activities/nodes/mock.ts) and is done at
    // once otherwise: a lost attempt is noticed within 2 s (RELIABILITY.md, recovery time).
    defaultHeartbeatTimeoutMs: 2000,
  },
  () => ({ config: mockConfig(templated), rendered: renderedMockConfig() }),
) satisfies ActivityNodeType<MockConfig>;

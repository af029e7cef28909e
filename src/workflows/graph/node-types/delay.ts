import { z } from 'zod';
import { durationMs } from '../durations';
import { durationString, templated, type TimerNodeType } from './common';

/** `delay`: a durable Temporal timer of `config.duration`; output = input. */
const rendered = z.strictObject({ duration: durationString });

export const delay = {
  runtime: 'timer',
  configSchema: z.strictObject({ duration: templated(durationString) }),
  renderedSchema: rendered,
  durationMs: (config) => durationMs(config.duration),
} satisfies TimerNodeType<z.infer<typeof rendered>>;

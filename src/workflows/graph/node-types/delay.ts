import { z } from 'zod';
import { durationMs } from '../durations';
import { durationString, templated, withSchemas, type TimerNodeType } from './common';

/** `delay`: a durable Temporal timer of `config.duration`; output = input. */
const renderedDelayConfig = () => z.strictObject({ duration: durationString });
type DelayConfig = z.infer<ReturnType<typeof renderedDelayConfig>>;

export const delay = withSchemas('delay', { runtime: 'timer', durationMs: (config: DelayConfig) => durationMs(config.duration) }, () => ({
  config: z.strictObject({ duration: templated(durationString) }),
  rendered: renderedDelayConfig(),
})) satisfies TimerNodeType<DelayConfig>;

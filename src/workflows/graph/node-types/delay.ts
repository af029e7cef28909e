import { z } from 'zod';
import { durationString, templated, type NodeTypeSpec } from './common';

/** `delay`: a durable Temporal timer of `config.duration`; output = input. */
export const delay: NodeTypeSpec = {
  runtime: 'timer',
  configSchema: z.strictObject({ duration: templated(durationString) }),
  renderedSchema: z.strictObject({ duration: durationString }),
};

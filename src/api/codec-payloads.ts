/**
 * The JSON of Temporal's codec-server protocol (DESIGN §15): `{payloads: [{metadata: {k:
 * base64}, data: base64}]}`, the proto3 JSON of `Payloads`, where every bytes field is
 * base64. Converts between it and the SDK's Payload.
 */
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

export const codecBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })),
});

export type CodecBody = z.infer<typeof codecBody>;

export function payloadsFromJson(body: CodecBody): Payload[] {
  return body.payloads.map(({ metadata, data }) => ({
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(Buffer.from(data ?? '', 'base64')),
  }));
}

export function payloadsToJson(payloads: readonly Payload[]): CodecBody {
  return {
    payloads: payloads.map(({ metadata, data }) => ({
      metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
      data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

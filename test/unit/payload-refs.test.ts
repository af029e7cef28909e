import { describe, expect, test } from 'vitest';
import { isPayloadRef, referencedPayloads, replaceReferences, type PayloadRef } from '../../src/payload-refs/reference';
import { spillLargeOutput } from '../../src/payload-refs/spill';
import { jsonBytes } from '../../src/workflows/graph/sizes';
import type { Json } from '../../src/workflows/graph/types';

/** A store in memory: ids in order, values kept. */
function memoryStore() {
  const values = new Map<string, Json>();
  let next = 0;
  const store = async (value: Json, bytes: number): Promise<PayloadRef> => {
    const id = `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`;
    values.set(id, value);
    return { $payload: id, bytes };
  };
  return { values, store };
}

describe('payload references', () => {
  test('only the exact shape is a reference', () => {
    expect(isPayloadRef({ $payload: '00000000-0000-4000-8000-000000000001', bytes: 10 })).toBe(true);
    expect(isPayloadRef({ $payload: 'not-a-uuid', bytes: 10 })).toBe(false);
    expect(isPayloadRef({ $payload: '00000000-0000-4000-8000-000000000001', bytes: 10, extra: 1 })).toBe(false);
    expect(isPayloadRef({ $payload: '00000000-0000-4000-8000-000000000001', bytes: -1 })).toBe(false);
    expect(isPayloadRef([{ $payload: '00000000-0000-4000-8000-000000000001', bytes: 1 }])).toBe(false);
  });

  test('every reference inside a value is found once and replaced', () => {
    const a = { $payload: '00000000-0000-4000-8000-00000000000a', bytes: 5 };
    const b = { $payload: '00000000-0000-4000-8000-00000000000b', bytes: 5 };
    const value: Json = { x: a, list: [b, { deeper: a }], plain: 'text' };
    expect(referencedPayloads(value).sort()).toEqual([a.$payload, b.$payload]);
    expect(replaceReferences(value, (id) => `value of ${id.slice(-1)}`)).toEqual({ x: 'value of a', list: ['value of b', { deeper: 'value of a' }], plain: 'text' });
    expect(value.x).toBe(a); // untouched
  });
});

describe('spilling large outputs', () => {
  test('an output within the limit travels as it is', async () => {
    const { values, store } = memoryStore();
    const output = { ok: true, text: 'x'.repeat(100) };
    expect(await spillLargeOutput(output, 1024, store)).toBe(output);
    expect(values.size).toBe(0);
  });

  test('the largest fields go to the store until the rest fits; small fields stay readable', async () => {
    const { values, store } = memoryStore();
    const output = { status: 'ok', big: 'x'.repeat(5000), medium: 'y'.repeat(800), small: 'z'.repeat(50) };
    const spilled = (await spillLargeOutput(output, 1024, store)) as Record<string, Json>;
    expect(spilled.status).toBe('ok');
    expect(spilled.small).toBe(output.small);
    expect(spilled.medium).toBe(output.medium);
    expect(isPayloadRef(spilled.big)).toBe(true);
    expect(jsonBytes(spilled)).toBeLessThanOrEqual(1024);
    expect(replaceReferences(spilled, (id) => values.get(id)!)).toEqual(output);
    expect((spilled.big as PayloadRef).bytes).toBe(jsonBytes(output.big));
  });

  test('an output that is not an object, or made of many small fields, is stored whole', async () => {
    const { values, store } = memoryStore();
    const text = 'x'.repeat(5000);
    const asString = await spillLargeOutput(text, 1024, store);
    expect(isPayloadRef(asString)).toBe(true);
    const many: Record<string, Json> = {};
    for (let i = 0; i < 200; i++) many[`field${i}`] = 'v'.repeat(20);
    const asMany = await spillLargeOutput(many, 1024, store);
    expect(isPayloadRef(asMany)).toBe(true);
    expect(values.get((asMany as PayloadRef).$payload)).toEqual(many);
    expect(values.get((asString as PayloadRef).$payload)).toBe(text);
  });
});

test('a plan that cannot fit stores one row, not one per field', async () => {
  const { values, store } = memoryStore();
  const many: Record<string, Json> = {};
  for (let i = 0; i < 40; i++) many[`field${i}`] = 'v'.repeat(100);
  expect(isPayloadRef(await spillLargeOutput(many, 1024, store))).toBe(true);
  expect(values.size).toBe(1);
});

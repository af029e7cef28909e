/**
 * The `http` node's `expect`: which response statuses count as success. Written as one item
 * or a list of items; an item is a code (`204`), a class (`"2xx"`) or an inclusive range
 * (`"200-299"`). Pure code: validation in the workflow sandbox and the activity share it.
 */

export type StatusItem = number | string;

/** Inclusive ranges of status codes. */
export type StatusSet = readonly (readonly [number, number])[];

export const DEFAULT_EXPECT: StatusSet = [[200, 299]];

export const EXPECT_RULE = 'expect: a status code (204), a class ("2xx") or a range ("200-299"), or a list of them; codes are 100-599';

const CLASS = /^([1-5])xx$/i;
const RANGE = /^(\d{3})\s*-\s*(\d{3})$/;
const CODE = /^\d{3}$/;

function isCode(value: number): boolean {
  return Number.isInteger(value) && value >= 100 && value <= 599;
}

/** One item as a range, or undefined when it is not one of the three forms. */
export function parseStatusItem(item: StatusItem): readonly [number, number] | undefined {
  if (typeof item === 'number') return isCode(item) ? [item, item] : undefined;
  const text = item.trim();
  const statusClass = CLASS.exec(text);
  if (statusClass) {
    const base = Number(statusClass[1]) * 100;
    return [base, base + 99];
  }
  const range = RANGE.exec(text);
  if (range) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    return isCode(low) && isCode(high) && low <= high ? [low, high] : undefined;
  }
  if (CODE.test(text)) return parseStatusItem(Number(text));
  return undefined;
}

/** `expect` as ranges; undefined when any item is malformed. */
export function parseStatusSet(expect: StatusItem | readonly StatusItem[] | undefined): StatusSet | undefined {
  if (expect === undefined) return DEFAULT_EXPECT;
  const items = Array.isArray(expect) ? expect : [expect as StatusItem];
  if (items.length === 0) return undefined;
  const ranges: (readonly [number, number])[] = [];
  for (const item of items) {
    const range = parseStatusItem(item);
    if (!range) return undefined;
    ranges.push(range);
  }
  return ranges;
}

export function statusInSet(status: number, set: StatusSet): boolean {
  return set.some(([low, high]) => status >= low && status <= high);
}

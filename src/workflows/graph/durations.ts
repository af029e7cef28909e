/**
 * Durations in graph documents: a whole number and a unit, e.g. "500ms", "30s", "10m", "2h",
 * "1d", at most MAX_DURATION. The maximum keeps every deadline a valid date and every timer
 * one Temporal accepts: "999999999d" once validated and then failed every workflow task.
 */
const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest duration a graph, a start option or a CLI flag may give. */
export const MAX_DURATION = '365d';
const MAX_DURATION_MS = 365 * UNIT_MS.d;

/** What a refusal says: the expected form and the maximum. */
export const DURATION_RULE = `must be a duration like "500ms", "30s", "10m", "2h", at most ${MAX_DURATION}`;

function parse(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

export function isDuration(text: string): boolean {
  const ms = parse(text);
  return ms !== undefined && ms <= MAX_DURATION_MS;
}

/** Milliseconds of a duration string; throws on a malformed one (validation rejects those first). */
export function durationMs(text: string): number {
  const ms = parse(text);
  if (ms === undefined) throw new Error(`not a duration: ${JSON.stringify(text)} (expected e.g. "30s", "10m")`);
  return ms;
}

/** Durations in graph documents: a whole number and a unit, e.g. "500ms", "30s", "10m", "2h", "1d". */
const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** Milliseconds of a duration string; throws on a malformed one (validation rejects those first). */
export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(text)} (expected e.g. "30s", "10m")`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

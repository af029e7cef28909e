/**
 * The statement and row shape shared by the two step-duration queries (all organizations,
 * one organization): each finished step is put in the first bucket whose upper bound it does
 * not exceed, so Postgres returns at most (node types × buckets) rows, whatever the traffic.
 */

export interface StepDurationHistogram {
  nodeType: string;
  /** Steps per bucket, cumulative as Prometheus wants them: cumulative[i] = steps of at most bounds[i] seconds. */
  cumulative: number[];
  count: number;
  /** Seconds. */
  sum: number;
}

export interface StepDurationRow {
  node_type: string;
  /** 0-based index of the first bound >= the duration; bounds.length for longer ones (+Inf). */
  bucket: number;
  n: string;
  seconds: number;
}

/**
 * The statement's text; $1 is the sorted bucket bounds (float8[]), `scope` the organization
 * filter. Durations are clamped at 0: started_at and finished_at may come from two workers' clocks.
 */
export const stepDurationBucketsSql = (scope: string): string => `
  WITH finished AS (
    SELECT node_type, greatest(extract(epoch FROM finished_at - started_at)::float8, 0) AS seconds
      FROM execution_steps
     WHERE finished_at > now() - interval '1 hour' AND started_at IS NOT NULL AND ${scope}
  )
  SELECT node_type,
         (SELECT count(*) FROM unnest($1::float8[]) AS bound WHERE bound < finished.seconds)::int AS bucket,
         count(*) AS n,
         sum(seconds)::float8 AS seconds
    FROM finished
   GROUP BY 1, 2`;

export function toStepDurationHistograms(rows: StepDurationRow[], bounds: readonly number[]): StepDurationHistogram[] {
  const byType = new Map<string, { perBucket: number[]; sum: number }>();
  for (const row of rows) {
    const entry = byType.get(row.node_type) ?? { perBucket: Array<number>(bounds.length + 1).fill(0), sum: 0 };
    entry.perBucket[row.bucket] += Number(row.n);
    entry.sum += Number(row.seconds);
    byType.set(row.node_type, entry);
  }
  return [...byType].map(([nodeType, { perBucket, sum }]) => {
    let running = 0;
    const cumulative = perBucket.map((n) => (running += n));
    return { nodeType, cumulative: cumulative.slice(0, bounds.length), count: running, sum };
  });
}

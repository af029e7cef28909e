import type { Queryable } from '../query';

export interface StepDurationQuantiles {
  nodeType: string;
  /** Seconds. */
  p50: number;
  p95: number;
  p99: number;
}

/** Durations of the steps finished in the last hour, per node type. */
export async function stepDurationQuantiles(db: Queryable): Promise<StepDurationQuantiles[]> {
  const found = await db.query<{ node_type: string; p50: number; p95: number; p99: number }>({
    name: 'metrics/step-duration-quantiles',
    text: `SELECT node_type,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p95,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p99
           FROM execution_steps
          WHERE finished_at > now() - interval '1 hour' AND started_at IS NOT NULL
          GROUP BY node_type`,
  });
  return found.rows.map((row) => ({ nodeType: row.node_type, p50: Number(row.p50), p95: Number(row.p95), p99: Number(row.p99) }));
}

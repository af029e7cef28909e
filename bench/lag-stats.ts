/** The figures reported for a set of lags (ms): nearest-rank percentiles, the extremes, and how many were negative. */
import { percentile } from './stats';

export interface LagStats {
  count: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  /** Lags below zero: the row was visible before the instant it is measured from. */
  negative: number;
}

export function lagStats(values: number[]): LagStats {
  if (values.length === 0) return { count: 0, p50: NaN, p99: NaN, min: NaN, max: NaN, negative: 0 };
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    min: Math.min(...values),
    max: Math.max(...values),
    negative: values.filter((v) => v < 0).length,
  };
}

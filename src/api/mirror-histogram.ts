/**
 * A Prometheus histogram whose buckets are counted by Postgres at scrape time. prom-client's
 * Histogram only counts the observations of its own process; step durations are read from
 * the mirror instead, so every API process reports the same figures.
 */
import type { Metric, Registry } from 'prom-client';
import type { StepDurationHistogram } from '../store/metrics/step-duration-histogram';

export interface MirrorHistogramOptions {
  name: string;
  help: string;
  /** Upper bounds in seconds, ascending; +Inf is added. */
  buckets: readonly number[];
  /** The label each series is told apart by (its value is StepDurationHistogram.nodeType). */
  labelName: string;
  read(buckets: readonly number[]): Promise<StepDurationHistogram[]>;
  registers: Registry[];
}

type SampleValue = { metricName: string; labels: Record<string, string | number>; value: number };

/** Samples in the order Prometheus writes a histogram: buckets, then _sum and _count, per series. */
export function histogramSamples(name: string, labelName: string, buckets: readonly number[], series: StepDurationHistogram[]): SampleValue[] {
  return series.flatMap((one) => {
    const labels = { [labelName]: one.nodeType };
    return [
      ...buckets.map((le, i) => ({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: one.cumulative[i] })),
      { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: one.count },
      { metricName: `${name}_sum`, labels, value: one.sum },
      { metricName: `${name}_count`, labels, value: one.count },
    ];
  });
}

export function registerMirrorHistogram(options: MirrorHistogramOptions): void {
  const envelope = { name: options.name, help: options.help, type: 'histogram', aggregator: 'sum' };
  const metric = {
    ...envelope,
    async get() {
      return { ...envelope, values: histogramSamples(options.name, options.labelName, options.buckets, await options.read(options.buckets)) };
    },
    /** Nothing is held in the process: Registry.resetMetrics() has nothing to reset. */
    reset() {},
  };
  // The Registry only calls get() and reset() and reads name and type; prom-client's types
  // admit only its own four classes, none of which can be given precounted buckets.
  for (const registry of options.registers) registry.registerMetric(metric as unknown as Metric);
}

import type { Queryable } from '../query';
import { stepDurationBucketsSql, toStepDurationHistograms, type StepDurationHistogram, type StepDurationRow } from './step-duration-histogram';

/** Durations of the steps finished in the last hour, per node type, all organizations, as histogram buckets. */
export async function stepDurationBuckets(db: Queryable, bounds: readonly number[]): Promise<StepDurationHistogram[]> {
  const found = await db.query<StepDurationRow>({
    name: 'metrics/step-duration-buckets',
    text: stepDurationBucketsSql('TRUE'),
    values: [bounds],
  });
  return toStepDurationHistograms(found.rows, bounds);
}

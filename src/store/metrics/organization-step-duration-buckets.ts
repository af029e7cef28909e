import type { Queryable } from '../query';
import { stepDurationBucketsSql, toStepDurationHistograms, type StepDurationHistogram, type StepDurationRow } from './step-duration-histogram';

/** Durations of one organization's steps finished in the last hour, per node type, as histogram buckets. */
export async function organizationStepDurationBuckets(db: Queryable, organizationId: string, bounds: readonly number[]): Promise<StepDurationHistogram[]> {
  const found = await db.query<StepDurationRow>({
    name: 'metrics/organization-step-duration-buckets',
    text: stepDurationBucketsSql('organization_id = $2'),
    values: [bounds, organizationId],
  });
  return toStepDurationHistograms(found.rows, bounds);
}

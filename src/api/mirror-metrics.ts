/**
 * The figures read from the mirror at scrape time (executions, dead letters, step durations,
 * attempts, concurrency slots), for one scope: the whole installation (the private metrics
 * listener) or one organization (GET /metrics with that organization's key). Both scopes
 * register the same metric names and labels, so one dashboard reads either.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Pool } from 'pg';
import { countConcurrencySlots, type ConcurrencySlotCount } from '../store/metrics/count-concurrency-slots';
import { countExecutionsByStatus } from '../store/metrics/count-executions-by-status';
import { countOpenDeadLetters } from '../store/metrics/count-open-dead-letters';
import { countOrganizationConcurrencySlots } from '../store/metrics/count-organization-concurrency-slots';
import { countOrganizationExecutionsByStatus } from '../store/metrics/count-organization-executions-by-status';
import { countOrganizationOpenDeadLetters } from '../store/metrics/count-organization-open-dead-letters';
import { countOrganizationRecentAttempts } from '../store/metrics/count-organization-recent-attempts';
import { countRecentAttempts } from '../store/metrics/count-recent-attempts';
import { organizationStepDurationBuckets } from '../store/metrics/organization-step-duration-buckets';
import { stepDurationBuckets } from '../store/metrics/step-duration-buckets';
import type { StepDurationHistogram } from '../store/metrics/step-duration-histogram';
import { registerMirrorHistogram } from './mirror-histogram';

/** Upper bounds (seconds) of wf_step_duration_seconds: node durations run from a few ms (mock, transform) to minutes (http retries, waits). */
export const STEP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;

/** What one scope reads from the mirror. */
export interface MirrorFigures {
  executionsByStatus(): Promise<{ status: string; count: number }[]>;
  openDeadLetters(): Promise<number>;
  stepDurations(buckets: readonly number[]): Promise<StepDurationHistogram[]>;
  recentAttempts(): Promise<{ status: string; count: number }[]>;
  concurrencySlots(): Promise<ConcurrencySlotCount[]>;
}

export function installationFigures(pool: Pool): MirrorFigures {
  return {
    executionsByStatus: () => countExecutionsByStatus(pool),
    openDeadLetters: () => countOpenDeadLetters(pool),
    stepDurations: (buckets) => stepDurationBuckets(pool, buckets),
    recentAttempts: () => countRecentAttempts(pool),
    concurrencySlots: () => countConcurrencySlots(pool),
  };
}

export function organizationFigures(pool: Pool, organizationId: string): MirrorFigures {
  return {
    executionsByStatus: () => countOrganizationExecutionsByStatus(pool, organizationId),
    openDeadLetters: () => countOrganizationOpenDeadLetters(pool, organizationId),
    stepDurations: (buckets) => organizationStepDurationBuckets(pool, organizationId, buckets),
    recentAttempts: () => countOrganizationRecentAttempts(pool, organizationId),
    concurrencySlots: () => countOrganizationConcurrencySlots(pool, organizationId),
  };
}

export function registerMirrorMetrics(registry: Registry, figures: MirrorFigures): void {
  const registers = [registry];
  new Gauge({
    name: 'wf_executions',
    help: 'Executions in the mirror by status',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await figures.executionsByStatus()) this.set({ status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'wf_dead_letters_open',
    help: 'Dead letters not yet retried or purged',
    registers,
    async collect() {
      this.set(await figures.openDeadLetters());
    },
  });
  registerMirrorHistogram({
    name: 'wf_step_duration_seconds',
    help: 'Durations of the steps finished in the last hour by node type (a sliding window: read it without rate())',
    buckets: STEP_DURATION_BUCKETS,
    labelName: 'node_type',
    read: (buckets) => figures.stepDurations(buckets),
    registers,
  });
  new Gauge({
    name: 'wf_step_attempts',
    help: 'Activity attempts recorded in the last hour by status',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await figures.recentAttempts()) this.set({ status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'wf_concurrency_slots',
    help: 'Executions holding (active) or waiting for (queued) a slot, by concurrency key',
    labelNames: ['organization', 'key', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await figures.concurrencySlots()) this.set({ organization: row.organizationId, key: row.key, state: row.status === 'queued' ? 'queued' : 'active' }, row.count);
    },
  });
}

/**
 * Prometheus metrics. API latency is observed per request; execution, step, attempt and
 * dead-letter figures are read from the mirror at scrape time, so every API process reports
 * the same numbers whatever it served.
 */
import { Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';
import { countConcurrencySlots } from '../store/metrics/count-concurrency-slots';
import { countExecutionsByStatus } from '../store/metrics/count-executions-by-status';
import { countOpenDeadLetters } from '../store/metrics/count-open-dead-letters';
import { countRecentAttempts } from '../store/metrics/count-recent-attempts';
import { stepDurationQuantiles } from '../store/metrics/step-duration-quantiles';

export interface ApiMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(pool: Pool): ApiMetrics {
  const registry = new Registry();
  const requestDuration = new Histogram({
    name: 'wf_api_request_duration_seconds',
    help: 'HTTP API latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'wf_executions',
    help: 'Executions in the mirror by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await countExecutionsByStatus(pool)) this.set({ status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'wf_dead_letters_open',
    help: 'Dead letters not yet retried or purged',
    registers: [registry],
    async collect() {
      this.set(await countOpenDeadLetters(pool));
    },
  });
  new Gauge({
    name: 'wf_step_duration_seconds',
    help: 'Step durations over the last hour by node type (quantiles)',
    labelNames: ['node_type', 'quantile'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await stepDurationQuantiles(pool)) {
        for (const q of ['p50', 'p95', 'p99'] as const) this.set({ node_type: row.nodeType, quantile: q.replace('p', '0.') }, row[q]);
      }
    },
  });
  new Gauge({
    name: 'wf_step_attempts',
    help: 'Activity attempts recorded in the last hour by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await countRecentAttempts(pool)) this.set({ status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'wf_concurrency_slots',
    help: 'Executions holding (active) or waiting for (queued) a slot, by concurrency key',
    labelNames: ['organization', 'key', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await countConcurrencySlots(pool)) this.set({ organization: row.organizationId, key: row.key, state: row.status === 'queued' ? 'queued' : 'active' }, row.count);
    },
  });
  return { registry, requestDuration };
}

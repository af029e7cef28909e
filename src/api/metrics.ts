/**
 * Prometheus metrics. API latency is observed per request; execution, step, attempt and
 * dead-letter figures are read from the mirror at scrape time, so every API process reports
 * the same numbers whatever it served.
 */
import { Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';

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
      const rows = await pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM executions GROUP BY status');
      for (const row of rows.rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'wf_dead_letters_open',
    help: 'Dead letters not yet retried or purged',
    registers: [registry],
    async collect() {
      const rows = await pool.query<{ n: string }>("SELECT count(*) AS n FROM dead_letters WHERE status IN ('open', 'retrying')");
      this.set(Number(rows.rows[0].n));
    },
  });
  new Gauge({
    name: 'wf_step_duration_seconds',
    help: 'Step durations over the last hour by node type (quantiles)',
    labelNames: ['node_type', 'quantile'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await pool.query<{ node_type: string; p50: number; p95: number; p99: number }>(
        `SELECT node_type,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p95,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p99
           FROM execution_steps
          WHERE finished_at > now() - interval '1 hour' AND started_at IS NOT NULL
          GROUP BY node_type`,
      );
      for (const row of rows.rows) {
        for (const q of ['p50', 'p95', 'p99'] as const) this.set({ node_type: row.node_type, quantile: q.replace('p', '0.') }, Number(row[q]));
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
      const rows = await pool.query<{ status: string; n: string }>(
        "SELECT status, count(*) AS n FROM execution_step_attempts WHERE coalesce(finished_at, started_at) > now() - interval '1 hour' GROUP BY status",
      );
      for (const row of rows.rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'wf_concurrency_slots',
    help: 'Executions holding (active) or waiting for (queued) a slot, by concurrency key',
    labelNames: ['organization', 'key', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await pool.query<{ organization_id: string; concurrency_key: string; status: string; n: string }>(
        `SELECT organization_id, concurrency_key, status, count(*) AS n FROM executions
          WHERE concurrency_key IS NOT NULL AND status IN ('queued', 'running')
          GROUP BY organization_id, concurrency_key, status`,
      );
      for (const row of rows.rows) this.set({ organization: row.organization_id, key: row.concurrency_key, state: row.status === 'queued' ? 'queued' : 'active' }, Number(row.n));
    },
  });
  return { registry, requestDuration };
}

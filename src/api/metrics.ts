/**
 * Prometheus metrics of the API. Two registries answer scrapes:
 * - `registry`, the whole process: API request latency (observed per request) and the mirror's
 *   figures of every organization. Served without a key, on 127.0.0.1 only (metrics-listener.ts).
 * - `forOrganization(id)`, built per scrape of GET /metrics: the mirror's figures of the
 *   caller's organization only. It leaves out request latency, which counts every
 *   organization's requests: its rates would show how busy the other tenants are.
 * Mirror figures are read at scrape time, so every API process reports the same numbers.
 */
import { Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';
import { installationFigures, organizationFigures, registerMirrorMetrics } from './mirror-metrics';

export interface ApiMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  forOrganization(organizationId: string): Registry;
}

export function createMetrics(pool: Pool): ApiMetrics {
  const registry = new Registry();
  const requestDuration = new Histogram({
    name: 'wf_api_request_duration_seconds',
    // `route` is the route's template (/api/v1/executions/:id), never a URL: no ids in labels.
    help: 'HTTP API latency by route template',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  registerMirrorMetrics(registry, installationFigures(pool));
  return {
    registry,
    requestDuration,
    forOrganization(organizationId) {
      const scoped = new Registry();
      registerMirrorMetrics(scoped, organizationFigures(pool, organizationId));
      return scoped;
    },
  };
}

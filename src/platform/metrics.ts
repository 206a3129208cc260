import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { DispatcherStats } from './events.js';
import { access } from './policy.js';

/** Prometheus metrics: process defaults, one histogram of request durations per route, outbox delivery counters. */
export function registerMetrics(app: FastifyInstance, outbox?: { stats(): DispatcherStats }): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'urpnet_' });
  const duration = new client.Histogram({
    name: 'urpnet_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  if (outbox) {
    // Counters of this process; a dead letter (a delivery given up after its last attempt) is also logged.
    new client.Counter({
      name: 'urpnet_outbox_deliveries_total',
      help: 'Outbox deliveries to handlers by outcome (delivered, failed attempt, dead-lettered)',
      labelNames: ['outcome'] as const,
      registers: [registry],
      collect() {
        const s = outbox.stats();
        this.reset();
        this.inc({ outcome: 'delivered' }, s.delivered);
        this.inc({ outcome: 'failed' }, s.failed);
        this.inc({ outcome: 'dead_lettered' }, s.deadLettered);
      },
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { access: access.public }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}

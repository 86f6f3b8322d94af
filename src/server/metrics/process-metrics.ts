import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * prom-client's default process metrics (CPU, memory, event loop lag, GC, handles) in a registry of their own.
 * Call it once per process and hand the result to every app the process builds: the collectors start a timer
 * and a GC observer that are never stopped, and the figures describe the process, not one app.
 */
export function processMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

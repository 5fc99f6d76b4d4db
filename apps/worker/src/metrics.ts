// Prometheus metrics of one worker process, on its own Registry (never prom-client's global one, so two
// workers in one test process do not collide). Fed by the run engine's RunObserver and the queue runner;
// the queue lag is read from the queue table when Prometheus scrapes.
import type { RunObserver } from "@sluice/core/runs/observer";
import type { Db } from "@sluice/db";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface WorkerMetrics {
  registry: Registry;
  /** Pass to executeRun: counts records and times batches and runs. */
  observer: RunObserver;
  /** The queue runner brackets each executeRun with these. */
  runStarted(): void;
  runEnded(): void;
}

export function createWorkerMetrics(o: { db: Db; defaultMetrics?: boolean }): WorkerMetrics {
  const registry = new Registry();
  if (o.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const records = new Counter({
    name: "sluice_records_total",
    help: "Records sent to destinations, by outcome (delivered, rejected, failed).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  for (const outcome of ["delivered", "rejected", "failed"]) records.inc({ outcome }, 0);

  const batchDuration = new Histogram({
    name: "sluice_batch_duration_seconds",
    help: "Time to deliver one batch to its destination, retries included.",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });

  const runDuration = new Histogram({
    name: "sluice_run_duration_seconds",
    help: "Duration of finished sync runs, by final status.",
    labelNames: ["status"] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
    registers: [registry],
  });

  const activeRuns = new Gauge({
    name: "sluice_active_runs",
    help: "Sync runs this worker process is executing now.",
    registers: [registry],
  });

  new Gauge({
    name: "sluice_queue_lag_seconds",
    help: "Age of the oldest job that is ready to run but not yet picked up (0 when none waits).",
    registers: [registry],
    async collect() {
      try {
        const rows = await o.db.$queryRaw<{ lag: number | null }[]>`
          select extract(epoch from now() - min(run_at))::float8 as lag
          from graphile_worker._private_jobs where is_available and run_at <= now()`;
        this.set(Math.max(0, rows[0]?.lag ?? 0));
      } catch {
        // Queue schema not installed yet, or the database is down (/health says so): report nothing new.
      }
    },
  });

  const observer: RunObserver = {
    onBatch(e) {
      if (e.outcomes.delivered) records.inc({ outcome: "delivered" }, e.outcomes.delivered);
      if (e.outcomes.rejected) records.inc({ outcome: "rejected" }, e.outcomes.rejected);
      if (e.outcomes.failed) records.inc({ outcome: "failed" }, e.outcomes.failed);
      batchDuration.observe(e.latencyMs / 1000);
    },
    onRunFinished(e) {
      runDuration.observe({ status: e.status }, e.durationMs / 1000);
    },
  };

  return { registry, observer, runStarted: () => activeRuns.inc(), runEnded: () => activeRuns.dec() };
}

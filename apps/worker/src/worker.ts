// The worker process's lifecycle, separate from main.ts so tests and the CLI can start one in-process:
// the health and metrics endpoint, and — with `engine` — the run queue consumer, the scheduler and the
// lease reaper; with `live`, the live view's socket.io server on the same port (path /live). stop() drains:
// no new schedules or jobs, runs in flight checkpoint and release their leases.
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Services } from "@sluice/core/context";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import type { RunObserver } from "@sluice/core/runs/observer";
import { closeServer, createHealthServer, listen } from "./health-server";
import { type LiveServer, type LiveServerOptions, startLiveServer } from "./live/live-server";
import type { Loop } from "./loop";
import { createWorkerMetrics, type WorkerMetrics } from "./metrics";
import { type QueueRunner, startQueueRunner } from "./queue-runner";
import { startReaper } from "./reaper";
import { startScheduler } from "./scheduler";

/** What the health endpoint needs; running syncs (`engine`) takes the full Services. */
export type WorkerServices = Pick<Services, "db" | "log">;

export interface EngineOptions {
  databaseUrl: string;
  /** Runs executed at once (SLUICE_WORKER_CONCURRENCY). */
  concurrency: number;
  /** Run lease TTL (SLUICE_LEASE_TTL_MS); heartbeats every third of it. */
  leaseTtlMs: number;
  /** Lease owner name; default host:pid:random. */
  workerId?: string;
  schedulerIntervalMs?: number;
  reaperIntervalMs?: number;
  pollIntervalMs?: number;
  /** Extra run observer (tests, live view). */
  observer?: RunObserver;
}

/** The live view (SLUICE_PUBLIC_URL, SLUICE_ENCRYPTION_KEY; DATABASE_URL joins the workers). */
export type LiveOptions = Omit<LiveServerOptions, "httpServer" | "db" | "log">;

export type StartWorkerOptions = { port: number; host?: string; live?: LiveOptions } & (
  | { services: WorkerServices; engine?: undefined }
  | { services: Services; engine: EngineOptions }
);

export interface RunningWorker {
  /** The port the health endpoint listens on. */
  port: number;
  workerId: string;
  metrics: WorkerMetrics;
  /** The live view's server, when started with `live`. */
  live?: LiveServer;
  /** Stops taking new work, lets in-flight work reach a checkpoint, and closes the health server. */
  stop(): Promise<void>;
}

export async function startWorker(o: StartWorkerOptions): Promise<RunningWorker> {
  const { log, db } = o.services;
  const workerId = o.engine?.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const metrics = createWorkerMetrics({ db });
  const health = createHealthServer({ db, metrics: metrics.registry });
  const port = await listen(health, o.port, o.host);
  log.info({ port }, "worker health endpoint listening on /health and /metrics");

  let runner: QueueRunner | undefined;
  let live: LiveServer | undefined;
  const loops: Loop[] = [];
  try {
    if (o.live) live = await startLiveServer({ ...o.live, httpServer: health, db, log });
    if (o.engine) {
      const services = o.services as Services;
      await ensureQueue(o.engine.databaseUrl);
      runner = await startQueueRunner({
        services,
        databaseUrl: o.engine.databaseUrl,
        concurrency: o.engine.concurrency,
        leaseTtlMs: o.engine.leaseTtlMs,
        workerId,
        metrics,
        observer: o.engine.observer,
        liveObserver: live?.observer,
        pollIntervalMs: o.engine.pollIntervalMs,
      });
      loops.push(startScheduler(services, { intervalMs: o.engine.schedulerIntervalMs }));
      loops.push(startReaper(services, { intervalMs: o.engine.reaperIntervalMs }));
    }
  } catch (error) {
    await Promise.allSettled([...loops.map((l) => l.stop()), runner?.stop()]);
    await Promise.allSettled([live?.close(), closeServer(health)]);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    workerId,
    metrics,
    ...(live ? { live } : {}),
    stop: () => {
      stopping ??= (async () => {
        log.info({ activeRuns: runner?.active() ?? 0 }, "worker stopping");
        await Promise.all(loops.map((l) => l.stop()));
        await runner?.stop();
        // After the runner: browsers see the runs in flight reach their checkpoints.
        await live?.close();
        await closeServer(health);
      })();
      return stopping;
    },
  };
}

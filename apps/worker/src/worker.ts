// The worker process's lifecycle, separate from main.ts so tests and the CLI can start one in-process.
// Today it serves health only; the queue consumer and sync runner (next issue) start and stop here too.
import type { Services } from "@sluice/core/context";
import { closeServer, createHealthServer, listen } from "./health-server";

/** What the worker needs today; the sync runner will take the full Services. */
export type WorkerServices = Pick<Services, "db" | "log">;

export interface RunningWorker {
  /** The port the health endpoint listens on. */
  port: number;
  /** Stops taking new work, lets in-flight work reach a checkpoint, and closes the health server. */
  stop(): Promise<void>;
}

export async function startWorker(o: { services: WorkerServices; port: number; host?: string }): Promise<RunningWorker> {
  const { log } = o.services;
  const health = createHealthServer({ db: o.services.db });
  const port = await listen(health, o.port, o.host);
  log.info({ port }, "worker health endpoint listening on /health");

  let stopping: Promise<void> | undefined;
  return {
    port,
    stop: () => {
      stopping ??= (async () => {
        log.info("worker stopping");
        await closeServer(health);
      })();
      return stopping;
    },
  };
}

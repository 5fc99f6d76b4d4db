// Entry point of the worker process (`tsx apps/worker/src/main.ts`, started by `npm start` or the container).
// SIGTERM/SIGINT drain: no new schedules or jobs, every run in flight finishes its batch, checkpoints and
// releases its lease (another worker resumes it), the database is closed — and the process exits anyway
// after SHUTDOWN_TIMEOUT_MS so an orchestrator never has to SIGKILL us.
import { createServices } from "@sluice/core/context";
import { tuneHeapForDelivery } from "@sluice/core/runs/worker-heap";
import { env } from "./env";
import { startWorker } from "./worker";

/** Under the 10 s an orchestrator is promised, with room for the process to exit. */
const SHUTDOWN_TIMEOUT_MS = 9_500;

tuneHeapForDelivery();

const services = createServices({
  databaseUrl: env.DATABASE_URL,
  encryptionKey: env.SLUICE_ENCRYPTION_KEY,
  previousKeys: env.SLUICE_ENCRYPTION_KEY_PREVIOUS,
  logName: "worker",
  allowPrivateDestinations: env.SLUICE_ALLOW_PRIVATE_DESTINATIONS,
});
const { log } = services;
log.info({ port: env.SLUICE_WORKER_PORT, pid: process.pid }, "worker starting");

let worker: Awaited<ReturnType<typeof startWorker>>;
try {
  worker = await startWorker({
    services,
    port: env.SLUICE_WORKER_PORT,
    live: { encryptionKey: env.SLUICE_ENCRYPTION_KEY, allowedOrigin: env.SLUICE_PUBLIC_URL, databaseUrl: env.DATABASE_URL },
    engine: {
      databaseUrl: env.DATABASE_URL,
      concurrency: env.SLUICE_WORKER_CONCURRENCY,
      leaseTtlMs: env.SLUICE_LEASE_TTL_MS,
    },
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  log.fatal(
    { err: error },
    code === "EADDRINUSE"
      ? `port ${env.SLUICE_WORKER_PORT} is already in use — stop the program using it or set SLUICE_WORKER_PORT`
      : "worker failed to start",
  );
  await services.db.$disconnect().catch(() => {});
  process.exit(1);
}
log.info({ workerId: worker.workerId, pid: process.pid, port: worker.port }, "worker ready");

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  const started = performance.now();
  log.info({ signal }, "worker draining");
  const deadline = setTimeout(() => {
    log.error(
      { timeoutMs: SHUTDOWN_TIMEOUT_MS },
      "worker did not drain in time; exiting (its runs resume elsewhere once their leases expire)",
    );
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  deadline.unref();
  try {
    await worker.stop();
    await services.db.$disconnect();
    log.info({ ms: Math.round(performance.now() - started) }, "worker stopped");
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, "worker shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", (s) => void shutdown(s));
process.on("SIGINT", (s) => void shutdown(s));

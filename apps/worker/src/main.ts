// Entry point of the worker process (`tsx apps/worker/src/main.ts`, started by `npm start` or the container).
// SIGTERM/SIGINT: stop accepting work, let the worker finish its checkpoint, close the database, exit —
// and exit anyway after SHUTDOWN_TIMEOUT_MS so an orchestrator never has to SIGKILL us.
import { createServices } from "@sluice/core/context";
import { env } from "./env";
import { startWorker } from "./worker";

const SHUTDOWN_TIMEOUT_MS = 10_000;

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
  worker = await startWorker({ services, port: env.SLUICE_WORKER_PORT });
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
log.info("worker ready");

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ signal }, "worker shutting down");
  const deadline = setTimeout(() => {
    log.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, "worker did not stop in time; exiting");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  deadline.unref();
  try {
    await worker.stop();
    await services.db.$disconnect();
    log.info("worker stopped");
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, "worker shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", (s) => void shutdown(s));
process.on("SIGINT", (s) => void shutdown(s));

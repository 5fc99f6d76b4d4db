// The run queue lives in the control-plane database (graphile-worker's `graphile_worker` schema), so a
// run row and its job are written in ONE transaction: no run without its job, no job without its run.
// graphile-worker over pg-boss: jobs can be added from SQL (`graphile_worker.add_job`) inside our own
// Prisma transaction, job keys dedupe re-enqueues, and LISTEN/NOTIFY picks jobs up without polling lag.
import { Logger as GraphileLogger, runMigrations } from "graphile-worker";
import pg from "pg";

/** Advisory lock id serialising concurrent installs (several workers or test files starting at once). */
const QUEUE_MIGRATION_LOCK = 0x51c3_0001;

/** Installs or upgrades the queue schema. Idempotent; safe to call from several processes at once. */
export async function ensureQueue(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [QUEUE_MIGRATION_LOCK]);
    await runMigrations({ connectionString: databaseUrl, logger: silentLogger() });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [QUEUE_MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** graphile-worker logs every migration step to the console by default; the caller logs the outcome. */
function silentLogger(): GraphileLogger {
  return new GraphileLogger(() => () => undefined);
}

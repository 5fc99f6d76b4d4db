// Gives runs of dead workers to live ones. A run being worked on holds a lease its worker renews; when a
// worker dies (SIGKILL, lost machine) the lease expires, and its queue job stays locked by the dead worker.
// The reaper enqueues a fresh job for every such run; whichever worker picks it up takes the expired lease
// and resumes from the persisted state and checkpoint. A run drained on SIGTERM (lease released, status
// unchanged) is handed over the same way. Enqueueing is deduplicated by the job key, so any number of
// reapers may run at once.
import type { Services } from "@sluice/core/context";
import { enqueueRun } from "@sluice/core/queue/enqueue-run";
import { Prisma } from "@sluice/db";
import { type Loop, startLoop } from "./loop";

const ACTIVE = ["planning", "snapshotting", "diffing", "delivering", "committing"];
// Prisma stores DateTime as UTC in `timestamp without time zone`; compare in UTC whatever the session zone.
const NOW_UTC = Prisma.sql`(now() at time zone 'utc')`;

/** Re-enqueues orphaned runs; returns their ids. */
export async function reapExpiredLeases(services: Services): Promise<string[]> {
  const { db, log } = services;
  // Active runs whose lease expired or was released; and queued runs whose lease expired (a worker took
  // one and died before its first transition). Queued/paused runs without a lease are not orphans. A run
  // whose job already waits, unlocked, for a worker is left alone (re-adding it would only log noise).
  // The job key is JOB_CATALOG["sync-run"].jobKey: `run:<runId>`.
  const rows = await db.$queryRaw<{ id: string; status: string; leaseOwner: string | null }[]>`
    select r.id, r.status::text as status, r."leaseOwner" from sync_run r
    where ((r.status::text = any(${ACTIVE}::text[]) and (r."leaseExpiresAt" is null or r."leaseExpiresAt" < ${NOW_UTC}))
        or (r.status = 'queued' and r."leaseExpiresAt" < ${NOW_UTC}))
      and not exists (select 1 from graphile_worker._private_jobs j where j.key = 'run:' || r.id and j.locked_at is null
                        and j.attempts < j.max_attempts)
    order by r."createdAt"
    limit 500`;
  for (const run of rows) {
    await db.$transaction((tx) => enqueueRun(tx, run.id));
    log.warn({ runId: run.id, status: run.status, previousOwner: run.leaseOwner }, "run has no live worker; re-enqueued");
  }
  return rows.map((r) => r.id);
}

export function startReaper(services: Services, o: { intervalMs?: number } = {}): Loop {
  return startLoop({
    name: "lease reaper",
    log: services.log,
    intervalMs: o.intervalMs ?? 5_000,
    tick: () => reapExpiredLeases(services),
  });
}

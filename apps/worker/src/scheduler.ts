// Starts scheduled runs. Every few seconds, one scheduler among all workers (the one that wins a Postgres
// advisory lock for the tick) triggers a run for each enabled sync whose nextRunAt has come, then moves
// nextRunAt on. A run still going makes triggerRun return it instead of starting another (runs of a sync
// never overlap), and the schedule moves on all the same: a slow sync skips slots instead of piling up.
import { ScheduleSchema } from "@sluice/contracts/sync-config";
import { type Services, systemContext } from "@sluice/core/context";
import { errorMessage } from "@sluice/core/runs/run-errors";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { computeNextRunAt } from "@sluice/core/schedules/next-run-at";
import { type Loop, startLoop } from "./loop";

/** pg advisory lock key of the scheduler tick (0x51c3_0001 is the queue's migration lock). */
export const SCHEDULER_LOCK = 0x51c3_0002;
/** Syncs started per tick at most; the rest wait for the next tick. */
const MAX_PER_TICK = 100;

export interface SchedulerTick {
  /** False when another worker's scheduler held the lock. */
  led: boolean;
  /** Runs created (not counting syncs whose previous run was still going). */
  triggered: number;
  /** Syncs that were due. */
  due: number;
}

/** One scheduler pass at time `now`. Safe to call from any number of processes at once. */
export async function runSchedulerTick(services: Services, now: Date = new Date()): Promise<SchedulerTick> {
  const { db, log } = services;
  return db.$transaction(
    async (tx) => {
      // Held until this transaction ends: triggers and nextRunAt updates are committed before another
      // scheduler can look at the same syncs.
      const [lock] = await tx.$queryRaw<
        { locked: boolean }[]
      >`select pg_try_advisory_xact_lock(${SCHEDULER_LOCK}::bigint) as locked`;
      if (!lock?.locked) return { led: false, triggered: 0, due: 0 };
      const due = await tx.sync.findMany({
        where: { enabled: true, nextRunAt: { lte: now } },
        select: { id: true, name: true, schedule: true, workspaceId: true, workspace: { select: { slug: true } } },
        orderBy: { nextRunAt: "asc" },
        take: MAX_PER_TICK,
      });
      let triggered = 0;
      for (const sync of due) {
        const schedule = ScheduleSchema.safeParse(sync.schedule);
        let nextRunAt: Date | null = null;
        if (!schedule.success) {
          log.error(
            { syncId: sync.id, sync: sync.name },
            "sync has an invalid schedule; it will not run on schedule until it is saved again",
          );
        } else {
          nextRunAt = computeNextRunAt(schedule.data, now);
          try {
            const ctx = systemContext(services, {
              workspaceId: sync.workspaceId,
              workspaceSlug: sync.workspace.slug,
              name: "scheduler",
            });
            const { run, created } = await triggerRun(ctx, { syncId: sync.id, trigger: "schedule" });
            if (created) triggered++;
            log.info(
              { syncId: sync.id, sync: sync.name, runId: run.id, created, nextRunAt },
              created ? "scheduled run queued" : "previous run still going; slot skipped",
            );
          } catch (error) {
            // The schedule continues: the next slot tries again.
            log.error({ syncId: sync.id, sync: sync.name, err: error }, `scheduled run could not start: ${errorMessage(error)}`);
          }
        }
        // Conditional on nextRunAt being unchanged: someone editing the sync meanwhile wins.
        await tx.sync.updateMany({ where: { id: sync.id, nextRunAt: { lte: now } }, data: { nextRunAt } });
      }
      return { led: true, triggered, due: due.length };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

export function startScheduler(services: Services, o: { intervalMs?: number } = {}): Loop {
  return startLoop({
    name: "scheduler",
    log: services.log,
    intervalMs: o.intervalMs ?? 5_000,
    tick: () => runSchedulerTick(services),
  });
}

// When a sync's schedule next wants a run. Cron expressions are evaluated in UTC; an interval counts
// from `from` (the moment the scheduler triggered the previous run, or the sync was saved), so a worker
// that was down for a while runs once on its return instead of catching up every missed slot.
import type { Schedule } from "@sluice/contracts/sync-config";
import { CronExpressionParser } from "cron-parser";

/** The next run strictly after `from`; null for manual schedules. */
export function computeNextRunAt(schedule: Schedule, from: Date): Date | null {
  switch (schedule.type) {
    case "manual":
      return null;
    case "interval":
      return new Date(from.getTime() + schedule.everyMs);
    case "cron":
      return CronExpressionParser.parse(schedule.cron, { tz: "UTC", currentDate: from }).next().toDate();
  }
}

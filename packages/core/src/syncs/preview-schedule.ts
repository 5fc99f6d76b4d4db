// The schedule field's live preview: the next run times a schedule would give (cron in UTC, intervals counted
// from now, as if the sync were saved now — the scheduler's rule in schedules/next-run-at.ts), or why the
// schedule is not valid yet. Pure: nothing is read or written.
import { describeSchedule, type Schedule, ScheduleInputSchema } from "@sluice/contracts/sync-config";
import { z } from "zod";
import { computeNextRunAt } from "../schedules/next-run-at";
import { fieldErrorsFromZod } from "../validate-input";

export const MAX_PREVIEWED_RUNS = 20;

/** `schedule` is whatever the form holds so far: validity is the answer, not a precondition. */
export const PreviewScheduleInput = z.object({
  schedule: z.unknown(),
  count: z.number().int().min(1).max(MAX_PREVIEWED_RUNS).default(5),
});
export type PreviewScheduleInput = z.input<typeof PreviewScheduleInput>;

export type SchedulePreview =
  | {
      ok: true;
      /** The stored form, as a sync would keep it. */
      schedule: Schedule;
      /** Short form: "manual", "every 15m", "cron 0 * * * * (UTC)". */
      summary: string;
      description: string;
      /** ISO-8601 UTC times; empty for manual schedules. */
      nextRuns: string[];
    }
  | { ok: false; message: string; fieldErrors: Record<string, string[]> };

export function previewSchedule(input: PreviewScheduleInput, now = new Date()): SchedulePreview {
  const { schedule: raw, count } = PreviewScheduleInput.parse(input);
  const parsed = ScheduleInputSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsFromZod(parsed.error, "schedule");
    return { ok: false, message: Object.values(fieldErrors).flat().join("; "), fieldErrors };
  }
  const schedule = parsed.data;
  const nextRuns: string[] = [];
  let from = now;
  for (let i = 0; i < count; i++) {
    const next = computeNextRunAt(schedule, from);
    if (!next) break;
    nextRuns.push(next.toISOString());
    from = next;
  }
  return { ok: true, schedule, summary: describeSchedule(schedule), description: explain(schedule), nextRuns };
}

// The scheduler never overlaps runs of one sync (scheduler.ts in the worker): a slow run skips slots.
const SKIPPED = "A start that comes while a run is still going is skipped.";

function explain(schedule: Schedule): string {
  switch (schedule.type) {
    case "manual":
      return "Runs only when someone starts it: the Run button, the CLI or the API.";
    case "interval":
      return `Runs every ${schedule.every}, counted from when the sync is saved and then from each scheduled start. ${SKIPPED}`;
    case "cron":
      return `Runs at the times the cron expression "${schedule.cron}" gives, in UTC. ${SKIPPED}`;
  }
}

// Words and colours the history, run detail and live pages share for runs.
import type { RunStatus, RunTrigger } from "@sluice/contracts/run-view";

export const TRIGGER_LABEL: Record<RunTrigger, string> = {
  manual: "Manual",
  schedule: "Schedule",
  api: "API",
  cli: "CLI",
  retry: "Retry",
};

export const STATUS_LABEL: Record<RunStatus, string> = {
  queued: "Queued",
  planning: "Planning",
  snapshotting: "Snapshotting",
  diffing: "Diffing",
  delivering: "Delivering",
  committing: "Committing",
  paused: "Paused",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** Fill of a state's segment in the timeline bar (Tailwind classes). */
export const STATUS_FILL: Record<RunStatus, string> = {
  queued: "bg-zinc-300",
  planning: "bg-sky-300",
  snapshotting: "bg-sky-400",
  diffing: "bg-sky-500",
  delivering: "bg-brand-600",
  committing: "bg-indigo-500",
  paused: "bg-amber-400",
  succeeded: "bg-emerald-500",
  failed: "bg-red-500",
  cancelled: "bg-zinc-500",
};

const time = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const dateTimeSeconds = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** "14:05:09". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? time.format(new Date(iso)) : "—";
}

/** "Mar 4, 14:05:09". */
export function formatDateTimeSeconds(iso: string | null | undefined): string {
  return iso ? dateTimeSeconds.format(new Date(iso)) : "—";
}

/** What to do after a run, from how it ended; null when there is nothing to do. */
export function runNextStep(run: {
  status: RunStatus;
  error: string | null;
  counts: { rejected: number; failed: number };
}): string | null {
  const { rejected, failed } = run.counts;
  const records = (n: number) => `${n.toLocaleString("en-US")} record${n === 1 ? "" : "s"}`;
  switch (run.status) {
    case "failed":
      return "Fix what the error names (the destination's or warehouse's settings, a permission, the model's query), then start a new run: it sends what this run did not deliver.";
    case "cancelled":
      return "Nothing this run delivered was committed, so the next run sends those records again.";
    case "paused":
      return "Paused at a checkpoint. Resume it from the Live tab to continue where it stopped.";
    case "succeeded":
      if (failed > 0)
        return `${records(failed)} failed for a reason that may pass (a timeout, a rate limit, a server error): the next run retries them, or use Retry failed now.`;
      if (rejected > 0)
        return `${records(rejected)} ${rejected === 1 ? "was" : "were"} rejected: fix the data or the mapping for the reasons below. A rejected record is sent again when its row changes.`;
      return null;
    default:
      return null;
  }
}

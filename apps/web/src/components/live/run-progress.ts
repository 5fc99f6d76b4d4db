// The live debugger's progress numbers: how far along the run is (records handled of planned, split by
// outcome for the stacked bar), and how long the rest should take at the current rate.
import type { RunCounts, RunStatus } from "@sluice/contracts/run-view";

export interface RunProgress {
  planned: number;
  /** delivered + rejected + failed. */
  processed: number;
  remaining: number;
  /** Percent of planned per outcome, for the stacked bar (sums to at most 100). */
  pct: { delivered: number; rejected: number; failed: number };
  /** Whole percent handled, 0–100. */
  donePct: number;
  /** Seconds left at the current rate; null when it cannot be told. */
  etaSeconds: number | null;
}

export function runProgress(counts: RunCounts, recordsPerSecond: number | null): RunProgress {
  const { planned, delivered, rejected, failed } = counts;
  const processed = delivered + rejected + failed;
  const remaining = Math.max(0, planned - processed);
  const share = (n: number) => (planned > 0 ? Math.min(100, (n / planned) * 100) : 0);
  let pct = { delivered: share(delivered), rejected: share(rejected), failed: share(failed) };
  const sum = pct.delivered + pct.rejected + pct.failed;
  // Retried records can make the outcomes outnumber the plan; the bar then shows their proportions.
  if (sum > 100)
    pct = { delivered: (pct.delivered / sum) * 100, rejected: (pct.rejected / sum) * 100, failed: (pct.failed / sum) * 100 };
  return {
    planned,
    processed,
    remaining,
    pct,
    donePct: planned > 0 ? Math.min(100, Math.floor((processed / planned) * 100)) : 0,
    etaSeconds: recordsPerSecond && recordsPerSecond > 0 && remaining > 0 ? Math.ceil(remaining / recordsPerSecond) : null,
  };
}

/** What the run is doing, in words, for the line under the progress bar. */
export const PHASE_TEXT: Record<RunStatus, string> = {
  queued: "Waiting for a worker to pick the run up…",
  planning: "Planning: loading the sync and taking the run's lease…",
  snapshotting: "Snapshotting the model in the warehouse…",
  diffing: "Comparing with the last committed snapshot…",
  delivering: "Delivering changed records to the destination…",
  committing: "Committing: promoting the new snapshot…",
  paused: "Paused at a checkpoint. Resuming continues from there.",
  succeeded: "Finished.",
  failed: "Failed.",
  cancelled: "Cancelled. Nothing it delivered was committed; the next run sends it again.",
};

/** States in which a run can still move (the page watches it live and offers pause/cancel). */
export const LIVE_ACTIVE: readonly RunStatus[] = ["queued", "planning", "snapshotting", "diffing", "delivering", "committing"];

/** Active or paused: the run the controls act on. */
export function isSteerable(status: RunStatus): boolean {
  return status === "paused" || LIVE_ACTIVE.includes(status);
}

/** "42s", "3m 05s", "1h 02m" for an ETA. */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

// The history chart's data: run.history's points (oldest first) as rows recharts can stack, with an x label
// that is as short as the range allows, and the scales' tick formats. Pure, so it is tested without a DOM.
import type { RunHistoryPoint } from "@sluice/core/runs/run-history";

/** What run.history returns per run (a type only: nothing of the server's module reaches the browser). */
export type HistoryPoint = RunHistoryPoint;

/** Outcomes (what happened to the records) or changes (what the diff found). */
export type RecordView = "outcomes" | "changes";

export const RECORD_SERIES = {
  outcomes: [
    { key: "delivered", label: "Delivered", color: "#10b981" },
    { key: "rejected", label: "Rejected", color: "#f59e0b" },
    { key: "failed", label: "Failed", color: "#ef4444" },
  ],
  changes: [
    { key: "added", label: "Added", color: "#0284c7" },
    { key: "changed", label: "Changed", color: "#8b5cf6" },
    { key: "removed", label: "Removed", color: "#a1a1aa" },
  ],
} as const satisfies Record<RecordView, readonly { key: keyof HistoryPoint; label: string; color: string }[]>;

export interface ChartRow extends HistoryPoint {
  /** Index of the run on the x axis (unique even when two runs share a label). */
  index: number;
  /** The x axis label: the time of day when every run fell on one day, else the date. */
  label: string;
  /** Same as durationMs; null keeps a gap in the line for runs that never started. */
  duration: number | null;
}

export interface ChartOptions {
  /** IANA zone for labels (tests pass "UTC"); default: the browser's. */
  timeZone?: string;
  locale?: string;
}

/** When a run happened, for the x axis: it started, or was triggered if it never started. */
export function runTime(p: Pick<HistoryPoint, "startedAt" | "createdAt">): string {
  return p.startedAt ?? p.createdAt;
}

export function toChartRows(points: readonly HistoryPoint[], o: ChartOptions = {}): ChartRow[] {
  const locale = o.locale ?? "en";
  const dayOf = new Intl.DateTimeFormat(locale, { timeZone: o.timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const days = new Set(points.map((p) => dayOf.format(new Date(runTime(p)))));
  const oneDay = days.size <= 1;
  const label = new Intl.DateTimeFormat(
    locale,
    oneDay
      ? { timeZone: o.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
      : { timeZone: o.timeZone, month: "short", day: "numeric" },
  );
  return points.map((p, index) => ({
    ...p,
    index,
    label: label.format(new Date(runTime(p))),
    duration: p.durationMs,
  }));
}

/** True when the chart has something to draw for the view: any record in any run, or any duration. */
export function hasChartData(rows: readonly ChartRow[], view: RecordView): boolean {
  return rows.some((r) => r.duration !== null || RECORD_SERIES[view].some((s) => (r[s.key] as number) > 0));
}

/** Y axis ticks for record counts: 950, 3k, 12.5k, 1.2M. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1_000) return String(Math.round(n));
  if (abs < 1_000_000) return `${trim(n / 1_000)}k`;
  return `${trim(n / 1_000_000)}M`;
}

function trim(n: number): string {
  return (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 10) / 10).toString();
}

/** Y axis ticks for durations in ms: 0s, 45s, 2m, 1.5h — short, for an axis. */
export function formatDurationTick(ms: number): string {
  if (ms <= 0) return "0s";
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const s = ms / 1_000;
  if (s < 60) return `${trim(s)}s`;
  const m = s / 60;
  if (m < 60) return `${trim(m)}m`;
  return `${trim(m / 60)}h`;
}

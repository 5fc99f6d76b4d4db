"use client";
// What the Syncs page and the overview share: the syncs query (polling fast while a run is active), run
// status badges, counts, durations, and the mutations that start and steer runs.
import type { RunStatus, RunView } from "@sluice/contracts/run-view";
import type { Schedule, SyncMode } from "@sluice/contracts/sync-config";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Loader2 } from "lucide-react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { AppRouter } from "@/server/trpc/root";
import { useTRPC } from "@/trpc/react";

export type SyncListItem = inferRouterOutputs<AppRouter>["sync"]["list"][number];

/** While a run is in one of these, the page polls fast and offers pause/cancel. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = [
  "queued",
  "planning",
  "snapshotting",
  "diffing",
  "delivering",
  "committing",
];
export const ACTIVE_POLL_MS = 1_500;
export const IDLE_POLL_MS = 15_000;

export function isActive(run: RunView | null | undefined): boolean {
  return Boolean(run && ACTIVE_RUN_STATUSES.includes(run.status));
}

/** The workspace's syncs with their latest runs; refetches every 1.5 s while any run is under way. */
export function useSyncList(o: { enabled?: boolean } = {}) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  return useQuery({
    ...trpc.sync.list.queryOptions({ workspace: ws.slug }),
    enabled: o.enabled ?? true,
    refetchInterval: (query) => (query.state.data?.some((s) => isActive(s.latestRun)) ? ACTIVE_POLL_MS : IDLE_POLL_MS),
    refetchIntervalInBackground: false,
  });
}

/** Run / pause / resume / cancel, each refreshing the syncs list (and the inbox and counts) when done. */
export function useRunActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.demo.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.workspace.summary.queryKey() }),
    ]);
  return {
    run: useMutation(trpc.sync.run.mutationOptions({ onSettled: refresh })),
    pause: useMutation(trpc.sync.pause.mutationOptions({ onSettled: refresh })),
    resume: useMutation(trpc.sync.resume.mutationOptions({ onSettled: refresh })),
    cancel: useMutation(trpc.sync.cancel.mutationOptions({ onSettled: refresh })),
  };
}

const STATUS: Record<RunStatus, { label: string; tone: BadgeTone }> = {
  queued: { label: "Queued", tone: "neutral" },
  planning: { label: "Planning", tone: "brand" },
  snapshotting: { label: "Snapshotting", tone: "brand" },
  diffing: { label: "Diffing", tone: "brand" },
  delivering: { label: "Delivering", tone: "brand" },
  committing: { label: "Committing", tone: "brand" },
  paused: { label: "Paused", tone: "amber" },
  succeeded: { label: "Succeeded", tone: "green" },
  failed: { label: "Failed", tone: "red" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const s = STATUS[status];
  const working = ACTIVE_RUN_STATUSES.includes(status) && status !== "queued";
  return (
    <Badge tone={s.tone} className="gap-1">
      {working ? <Loader2 className="size-3 animate-spin" aria-hidden /> : null}
      <span data-testid="run-status">{s.label}</span>
    </Badge>
  );
}

export const MODE_SENTENCE: Record<SyncMode, string> = {
  mirror: "Adds, updates and deletes records so the destination mirrors the model.",
  upsert: "Adds new records and updates changed ones; never deletes.",
  update: "Updates records the destination already has; never adds or deletes.",
  insert: "Adds new records only; never updates or deletes.",
};

export function scheduleLabel(schedule: Schedule): string {
  if (schedule.type === "manual") return "Manual";
  if (schedule.type === "interval") return `Every ${schedule.every}`;
  return `Cron ${schedule.cron}`;
}

/** "850 ms", "14s", "2m 05s", "1h 03m". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** The run's duration so far (active) or in total (finished); null before it started. */
export function runDuration(run: RunView, now = Date.now()): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  return end - new Date(run.startedAt).getTime();
}

export const COUNT_LABELS = [
  ["added", "Added"],
  ["changed", "Changed"],
  ["removed", "Removed"],
  ["delivered", "Delivered"],
  ["rejected", "Rejected"],
  ["failed", "Failed"],
] as const satisfies readonly (readonly [keyof RunView["counts"], string])[];

/** "3,000 delivered · 2 rejected" — only the outcomes that happened (or "nothing to send"). */
export function outcomeSummary(run: RunView): string {
  const { delivered, rejected, failed, planned } = run.counts;
  const parts = [`${delivered.toLocaleString()} delivered`];
  if (rejected) parts.push(`${rejected.toLocaleString()} rejected`);
  if (failed) parts.push(`${failed.toLocaleString()} failed`);
  if (!ACTIVE_RUN_STATUSES.includes(run.status) && planned === 0 && run.status === "succeeded") return "Nothing changed";
  return parts.join(" · ");
}

export function ProgressBar({ value, max, className }: { value: number; max: number; className?: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className={cn("h-2 overflow-hidden rounded-full bg-zinc-200", className)}
    >
      <div className="h-full rounded-full bg-brand-600 transition-[width] duration-500" style={{ width: `${pct}%` }} />
    </div>
  );
}

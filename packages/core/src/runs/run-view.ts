// A run row → the RunView the CLI (--json), the API and the UI show (packages/contracts run-view.ts).
import type { RunCounts, RunView } from "@sluice/contracts/run-view";
import type { Prisma } from "@sluice/db";
import { AppError } from "../errors";

export const RUN_VIEW_INCLUDE = {
  sync: { select: { name: true, mode: true } },
  transitions: { orderBy: [{ at: "asc" }, { id: "asc" }] },
} satisfies Prisma.SyncRunInclude;

export type RunRow = Prisma.SyncRunGetPayload<{ include: typeof RUN_VIEW_INCLUDE }>;

export function toRunView(row: RunRow): RunView {
  const plannedMode = (row.plan as { mode?: RunView["mode"] } | null)?.mode;
  return {
    id: row.id,
    syncId: row.syncId,
    syncName: row.sync.name,
    status: row.status,
    trigger: row.trigger,
    // The mode the run was planned with (the sync's may have changed since).
    mode: plannedMode ?? row.sync.mode,
    fullResync: row.fullResync,
    fullResyncReason: row.fullResyncReason,
    counts: runCounts(row),
    ...runTimes(row),
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    timeline: row.transitions.map((t) => ({ from: t.from, to: t.to, at: t.at.toISOString(), detail: t.detail })),
  };
}

/** The counter columns of a run row, for narrow selects (history points, the live view). */
export const RUN_COUNTS_SELECT = {
  planned: true,
  added: true,
  changed: true,
  removed: true,
  delivered: true,
  rejected: true,
  failed: true,
} satisfies Prisma.SyncRunSelect;

/** A run row's counters, as every view of a run shows them (the row carries more than the counters). */
export function runCounts(row: RunCounts): RunCounts {
  return {
    planned: row.planned,
    added: row.added,
    changed: row.changed,
    removed: row.removed,
    delivered: row.delivered,
    rejected: row.rejected,
    failed: row.failed,
  };
}

/** When a run started and finished, as ISO strings (null until it has). */
export function runTimes(row: { startedAt: Date | null; finishedAt: Date | null }): {
  startedAt: string | null;
  finishedAt: string | null;
} {
  return { startedAt: row.startedAt?.toISOString() ?? null, finishedAt: row.finishedAt?.toISOString() ?? null };
}

export function runNotFound(): AppError {
  return new AppError("NOT_FOUND", "No such run in this workspace.");
}

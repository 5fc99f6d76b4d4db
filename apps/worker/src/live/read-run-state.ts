// A run's counters and status as the live view shows them, read from its row in the control-plane
// database (the only place every worker's batches add up), plus what the reporting worker measured. The
// row is read with a narrow select (polled often), not the full RunView; counters and times map the same way.
import type { LiveRunState } from "@sluice/contracts/live";
import type { RunStatus } from "@sluice/contracts/run-view";
import { RUN_COUNTS_SELECT, runCounts, runTimes } from "@sluice/core/runs/run-view";
import type { Db, Prisma } from "@sluice/db";

const RUN_STATE_SELECT = {
  id: true,
  syncId: true,
  workspaceId: true,
  status: true,
  ...RUN_COUNTS_SELECT,
  startedAt: true,
  finishedAt: true,
  error: true,
} satisfies Prisma.SyncRunSelect;

export type RunStateRow = Prisma.SyncRunGetPayload<{ select: typeof RUN_STATE_SELECT }>;

/** Measured by the worker executing the run; absent when this worker does not execute it. */
export interface RunFlow {
  recordsPerSecond: number | null;
  throttledMs: number | null;
  droppedEvents: number;
}

export function readRunRow(db: Db, runId: string): Promise<RunStateRow | null> {
  return db.syncRun.findUnique({ where: { id: runId }, select: RUN_STATE_SELECT });
}

/** The sync's newest run, scoped to the workspace the token names. */
export function readLatestRunRow(db: Db, o: { workspaceId: string; syncId: string }): Promise<RunStateRow | null> {
  return db.syncRun.findFirst({
    where: { syncId: o.syncId, workspaceId: o.workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: RUN_STATE_SELECT,
  });
}

export function toLiveRunState(
  row: RunStateRow,
  flow: RunFlow | undefined,
  o: { status?: RunStatus; now?: Date } = {},
): LiveRunState {
  return {
    syncId: row.syncId,
    runId: row.id,
    status: o.status ?? row.status,
    counts: runCounts(row),
    ...runTimes(row),
    error: row.error,
    recordsPerSecond: flow?.recordsPerSecond ?? null,
    throttledMs: flow?.throttledMs ?? null,
    droppedEvents: flow?.droppedEvents ?? 0,
    at: (o.now ?? new Date()).toISOString(),
  };
}

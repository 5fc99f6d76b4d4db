// A sync's run history: the runs list (newest first, a page at a time, each with its duration) and the
// chart's points (oldest first: when, how long, how many records of each kind, how it ended).
import type { RunStatus, RunTrigger, RunView } from "@sluice/contracts/run-view";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { runDurationMs } from "./get-run-detail";
import { listRuns } from "./list-runs";
import { RUN_COUNTS_SELECT, runNotFound, runTimes } from "./run-view";

export const ListRunPageInput = z.object({
  syncId: z.string().min(1),
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});
export type ListRunPageInput = z.input<typeof ListRunPageInput>;

export type RunListItem = RunView & { durationMs: number | null };

/** listRuns with each run's duration (start → finish, or → now while it runs). */
export async function listRunPage(
  ctx: WorkspaceContext,
  input: ListRunPageInput,
  now = new Date(),
): Promise<{ items: RunListItem[]; nextCursor?: string }> {
  authorize(ctx, "sync.read");
  const { syncId, limit, cursor } = parseInput(ListRunPageInput, input);
  if (cursor) await assertRunOfSync(ctx, cursor, syncId);
  const page = await listRuns(ctx, { syncId, limit, cursor });
  return { ...page, items: page.items.map((run) => ({ ...run, durationMs: runDurationMs(run, now) })) };
}

// A cursor from another sync (or workspace) would page through the wrong list: refuse it as not found.
async function assertRunOfSync(ctx: WorkspaceContext, runId: string, syncId: string): Promise<void> {
  const found = await ctx.db.syncRun.findFirst({
    where: { id: runId, syncId, workspaceId: ctx.workspaceId },
    select: { id: true },
  });
  if (!found) throw runNotFound();
}

export const MAX_HISTORY_POINTS = 200;

export const RunHistoryInput = z.object({
  syncId: z.string().min(1),
  limit: z.number().int().min(1).max(MAX_HISTORY_POINTS).default(50),
});
export type RunHistoryInput = z.input<typeof RunHistoryInput>;

export interface RunHistoryPoint {
  runId: string;
  status: RunStatus;
  trigger: RunTrigger;
  fullResync: boolean;
  /** When the run was triggered; the x axis for runs that never started. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  planned: number;
  added: number;
  changed: number;
  removed: number;
  delivered: number;
  rejected: number;
  failed: number;
}

/** The last `limit` runs of the sync as chart points, oldest first. */
export async function getRunHistory(
  ctx: WorkspaceContext,
  input: RunHistoryInput,
  now = new Date(),
): Promise<{ syncId: string; points: RunHistoryPoint[] }> {
  authorize(ctx, "sync.read");
  const { syncId, limit } = parseInput(RunHistoryInput, input);
  const sync = await ctx.db.sync.findFirst({ where: { id: syncId, workspaceId: ctx.workspaceId }, select: { id: true } });
  if (!sync) throw new AppError("NOT_FOUND", "No such sync in this workspace.");
  const rows = await ctx.db.syncRun.findMany({
    where: { syncId, workspaceId: ctx.workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      status: true,
      trigger: true,
      fullResync: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      ...RUN_COUNTS_SELECT,
    },
  });
  const points = rows.reverse().map(({ id, createdAt, startedAt, finishedAt, ...counts }) => {
    const times = runTimes({ startedAt, finishedAt });
    return { runId: id, ...counts, createdAt: createdAt.toISOString(), ...times, durationMs: runDurationMs(times, now) };
  });
  return { syncId, points };
}

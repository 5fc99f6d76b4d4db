// Starts a run of a sync: the run row (queued), its first timeline entry and its queue job, in ONE
// transaction. Runs of one sync never overlap: the partial unique index sync_run_one_active_per_sync
// admits one unfinished run per sync, so a second trigger — from anywhere, at the same instant — gets
// the run that is already under way (created: false).
import type { RunView } from "@sluice/contracts/run-view";
import { RunTriggerSchema } from "@sluice/contracts/run-view";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { enqueueRun } from "../queue/enqueue-run";
import { parseInput } from "../validate-input";
import { RUN_VIEW_INCLUDE, toRunView } from "./run-view";
import { FINISHED } from "./transitions";

const TriggerRunInput = z.object({
  syncId: z.string().min(1),
  trigger: RunTriggerSchema,
  fullResync: z.boolean().optional(),
});

const ATTEMPTS = 3;

export async function triggerRun(
  ctx: WorkspaceContext,
  input: { syncId: string; trigger: z.input<typeof RunTriggerSchema>; fullResync?: boolean },
): Promise<{ run: RunView; created: boolean }> {
  authorize(ctx, "sync.run");
  const { syncId, trigger, fullResync } = parseInput(TriggerRunInput, input);
  const sync = await ctx.db.sync.findFirst({ where: { id: syncId, workspaceId: ctx.workspaceId }, select: { id: true } });
  if (!sync) throw new AppError("NOT_FOUND", "No such sync in this workspace.");
  // The unfinished run can finish between our insert failing and our lookup: then simply try again.
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const runId = await ctx.db.$transaction(async (tx) => {
        const run = await tx.syncRun.create({
          data: { workspaceId: ctx.workspaceId, syncId, trigger, fullResync: fullResync ?? false },
        });
        await tx.syncRunTransition.create({
          data: { runId: run.id, from: null, to: "queued", detail: `triggered (${trigger})` },
        });
        await enqueueRun(tx, run.id);
        await recordAudit(tx, ctx, {
          action: "run.trigger",
          targetType: "run",
          targetId: run.id,
          after: { syncId, trigger, fullResync },
        });
        return run.id;
      });
      const row = await ctx.db.syncRun.findUniqueOrThrow({ where: { id: runId }, include: RUN_VIEW_INCLUDE });
      return { run: toRunView(row), created: true };
    } catch (error) {
      if (!isActiveRunConflict(error)) throw error;
    }
    const active = await ctx.db.syncRun.findFirst({
      where: { syncId, status: { notIn: [...FINISHED] } },
      include: RUN_VIEW_INCLUDE,
    });
    if (!active) continue;
    if (fullResync && !active.fullResync && active.status === "queued") {
      // Not planned yet: the full resync asked for now still applies to it.
      const { count } = await ctx.db.syncRun.updateMany({
        where: { id: active.id, status: "queued" },
        data: { fullResync: true },
      });
      if (count === 1) active.fullResync = true;
    }
    return { run: toRunView(active), created: false };
  }
  throw new AppError("CONFLICT", "Another run of this sync keeps starting and finishing; try again.");
}

/** The unique violation of sync_run_one_active_per_sync, however the driver reports it. */
export function isActiveRunConflict(error: unknown): boolean {
  const e = error as { code?: string; meta?: Record<string, unknown>; cause?: { code?: string }; message?: string } | null;
  if (!e) return false;
  if (e.code === "P2002" || e.code === "23505" || e.cause?.code === "23505") return true;
  return typeof e.message === "string" && e.message.includes("sync_run_one_active_per_sync");
}

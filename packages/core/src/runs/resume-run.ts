// Resume: a paused run goes back to where it paused (queued, or delivering from its checkpoint) and its
// job is enqueued, in one transaction. A pause that was requested but not yet reached is withdrawn.
import type { RunStatus, RunView } from "@sluice/contracts/run-view";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { enqueueRun } from "../queue/enqueue-run";
import { loadRunRow } from "./get-run";
import { toRunView } from "./run-view";
import { applyTransition, FINISHED } from "./transitions";

export async function resumeRun(ctx: WorkspaceContext, input: { runId: string }): Promise<RunView> {
  authorize(ctx, "sync.run");
  const run = await loadRunRow(ctx, input.runId);
  if (FINISHED.includes(run.status))
    throw new AppError("CONFLICT", `The run has already ${run.status}; start a new run instead.`);
  if (run.status !== "paused") {
    if (run.pauseRequested) {
      await ctx.db.$transaction(async (tx) => {
        await tx.syncRun.updateMany({ where: { id: run.id, status: { not: "paused" } }, data: { pauseRequested: false } });
        await recordAudit(tx, ctx, { action: "run.resume", targetType: "run", targetId: run.id });
      });
    }
    return toRunView(await loadRunRow(ctx, run.id));
  }
  const pausedFrom = [...run.transitions].reverse().find((t) => t.to === "paused")?.from;
  const to: RunStatus = pausedFrom === "delivering" ? "delivering" : "queued";
  await ctx.db.$transaction(async (tx) => {
    const ok = await applyTransition(tx, { runId: run.id, from: "paused", to, lease: "unleased", detail: "resumed" });
    if (!ok) throw new AppError("CONFLICT", "The run changed meanwhile; reload and try again.");
    await enqueueRun(tx, run.id);
    await recordAudit(tx, ctx, { action: "run.resume", targetType: "run", targetId: run.id });
  });
  return toRunView(await loadRunRow(ctx, run.id));
}

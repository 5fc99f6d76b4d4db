// Pause: a queued run pauses at once; an active one is asked to (pauseRequested), and its worker stops
// after the in-flight batch, at a checkpoint, releasing its lease. Past committing there is nothing to pause.
import type { RunView } from "@sluice/contracts/run-view";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { loadRunRow } from "./get-run";
import { toRunView } from "./run-view";
import { stopOrAsk } from "./stop-or-ask";
import { FINISHED } from "./transitions";

export async function pauseRun(ctx: WorkspaceContext, input: { runId: string }): Promise<RunView> {
  authorize(ctx, "sync.run");
  const run = await loadRunRow(ctx, input.runId);
  if (run.status === "paused") return toRunView(run);
  if (FINISHED.includes(run.status))
    throw new AppError("CONFLICT", `The run has already ${run.status}; there is nothing to pause.`);
  if (run.status === "committing")
    throw new AppError("CONFLICT", "The run is committing its results and can no longer be paused.");
  await ctx.db.$transaction(async (tx) => {
    await stopOrAsk(tx, run, { to: "paused", request: "pauseRequested", detail: "paused before it started" });
    await recordAudit(tx, ctx, { action: "run.pause", targetType: "run", targetId: run.id });
  });
  return toRunView(await loadRunRow(ctx, run.id));
}

// Cancel: the run stops without committing; its transient warehouse tables are dropped and the committed
// snapshot is untouched, so the next run sends whatever this one had not committed.
// queued → cancelled at once; active → cancelRequested (its worker cleans up at the next checkpoint or step);
// paused → cleaned up here, under the run's lease, then cancelled. Committing runs can no longer be cancelled.
import { randomUUID } from "node:crypto";
import type { RunView } from "@sluice/contracts/run-view";
import { recordAudit } from "../audit/record-audit";
import { authorize, type Services, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { loadRunRow } from "./get-run";
import { LEASE_TTL_MS, RunLease } from "./lease";
import { parsePlan } from "./plan-run";
import { openWarehouse } from "./run-connections";
import { errorMessage } from "./run-errors";
import { toRunView } from "./run-view";
import { stopOrAsk } from "./stop-or-ask";
import { transition } from "./transitions";

export async function cancelRun(ctx: WorkspaceContext, input: { runId: string }): Promise<RunView> {
  authorize(ctx, "sync.run");
  const run = await loadRunRow(ctx, input.runId);
  if (run.status === "cancelled") return toRunView(run);
  if (run.status === "succeeded" || run.status === "failed") {
    throw new AppError("CONFLICT", `The run has already ${run.status}; there is nothing to cancel.`);
  }
  if (run.status === "committing")
    throw new AppError("CONFLICT", "The run is committing its results and can no longer be cancelled.");
  if (run.status === "paused") {
    await cancelPausedRun(ctx, run.id);
    await ctx.db.$transaction((tx) => recordAudit(tx, ctx, { action: "run.cancel", targetType: "run", targetId: run.id }));
  } else {
    await ctx.db.$transaction(async (tx) => {
      await stopOrAsk(tx, run, { to: "cancelled", request: "cancelRequested", detail: "cancelled before it started" });
      await recordAudit(tx, ctx, { action: "run.cancel", targetType: "run", targetId: run.id });
    });
  }
  return toRunView(await loadRunRow(ctx, run.id));
}

/** A paused run has no worker: take its lease ourselves, drop its transient tables, and settle it. */
async function cancelPausedRun(s: Services, runId: string): Promise<void> {
  const lease = await RunLease.take(s.db, {
    runId,
    owner: `cancel/${randomUUID().slice(0, 8)}`,
    ttlMs: LEASE_TTL_MS,
    log: s.log,
    statuses: ["paused"],
  });
  if (!lease) throw new AppError("CONFLICT", "The run changed meanwhile; reload and try again.");
  let detail = "cancelled while paused";
  const run = await s.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
  const plan = parsePlan(run.plan);
  if (plan) {
    try {
      const warehouse = await openWarehouse(s, plan.sourceId);
      try {
        await warehouse.session.cleanup({ tables: plan.tables });
      } finally {
        await warehouse.session.close();
      }
    } catch (error) {
      s.log.warn({ err: error, runId }, "could not drop the run's transient tables");
      detail = `cancelled while paused; transient tables could not be dropped: ${errorMessage(error)}`;
    }
  }
  const ok = await transition(s.db, { runId, from: "paused", to: "cancelled", lease: lease.owner, detail });
  if (!ok) {
    await lease.release();
    throw new AppError("CONFLICT", "The run changed meanwhile; reload and try again.");
  }
}

import type { RunView } from "@sluice/contracts/run-view";
import { authorize, type WorkspaceContext } from "../context";
import { RUN_VIEW_INCLUDE, type RunRow, runNotFound, toRunView } from "./run-view";

export async function getRun(ctx: WorkspaceContext, input: { runId: string }): Promise<RunView> {
  authorize(ctx, "sync.read");
  return toRunView(await loadRunRow(ctx, input.runId));
}

/** The run, scoped to the context's workspace (NOT_FOUND otherwise: never reveal another workspace's runs). */
export async function loadRunRow(ctx: WorkspaceContext, runId: string): Promise<RunRow> {
  const row = await ctx.db.syncRun.findFirst({ where: { id: runId, workspaceId: ctx.workspaceId }, include: RUN_VIEW_INCLUDE });
  if (!row) throw runNotFound();
  return row;
}

// The newest run of each sync in the workspace (or of the given syncs), for the syncs list and the
// dashboard: one indexed DISTINCT ON query for the ids, then the runs with their timelines.
import type { RunView } from "@sluice/contracts/run-view";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { RUN_VIEW_INCLUDE, toRunView } from "./run-view";

const ListLatestRunsInput = z.object({ syncIds: z.array(z.string().min(1)).max(1000).optional() });

/** syncId → its latest run; syncs that never ran are absent. Scoped to the context's workspace. */
export async function listLatestRuns(
  ctx: WorkspaceContext,
  input: { syncIds?: string[] } = {},
): Promise<Record<string, RunView>> {
  authorize(ctx, "sync.read");
  const { syncIds } = parseInput(ListLatestRunsInput, input);
  if (syncIds?.length === 0) return {};
  const latest = syncIds
    ? await ctx.db.$queryRaw<{ id: string }[]>`
        select distinct on ("syncId") id from sync_run
        where "workspaceId" = ${ctx.workspaceId} and "syncId" = any(${syncIds})
        order by "syncId", "createdAt" desc, id desc`
    : await ctx.db.$queryRaw<{ id: string }[]>`
        select distinct on ("syncId") id from sync_run
        where "workspaceId" = ${ctx.workspaceId}
        order by "syncId", "createdAt" desc, id desc`;
  if (latest.length === 0) return {};
  const rows = await ctx.db.syncRun.findMany({
    where: { id: { in: latest.map((r) => r.id) }, workspaceId: ctx.workspaceId },
    include: RUN_VIEW_INCLUDE,
  });
  return Object.fromEntries(rows.map((row) => [row.syncId, toRunView(row)]));
}

// A sync's runs, newest first, a page at a time (cursor = the last run id of the previous page).
import type { RunView } from "@sluice/contracts/run-view";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { RUN_VIEW_INCLUDE, toRunView } from "./run-view";

const ListRunsInput = z.object({
  syncId: z.string().min(1),
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});

export async function listRuns(
  ctx: WorkspaceContext,
  input: { syncId: string; limit?: number; cursor?: string },
): Promise<{ items: RunView[]; nextCursor?: string }> {
  authorize(ctx, "sync.read");
  const { syncId, limit, cursor } = parseInput(ListRunsInput, input);
  const sync = await ctx.db.sync.findFirst({ where: { id: syncId, workspaceId: ctx.workspaceId }, select: { id: true } });
  if (!sync) throw new AppError("NOT_FOUND", "No such sync in this workspace.");
  const rows = await ctx.db.syncRun.findMany({
    where: { syncId, workspaceId: ctx.workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    include: RUN_VIEW_INCLUDE,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(toRunView), ...(rows.length > limit && last ? { nextCursor: last.id } : {}) };
}

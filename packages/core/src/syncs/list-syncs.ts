import { IdInput } from "@sluice/contracts/connections";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { SYNC_VIEW_INCLUDE, type SyncView, syncNotFound, toSyncView } from "./sync-view";

export async function listSyncs(ctx: WorkspaceContext): Promise<SyncView[]> {
  authorize(ctx, "sync.read");
  const rows = await ctx.db.sync.findMany({
    where: { workspaceId: ctx.workspaceId },
    include: SYNC_VIEW_INCLUDE,
    orderBy: { name: "asc" },
  });
  return rows.map(toSyncView);
}

export async function getSync(ctx: WorkspaceContext, input: { id: string }): Promise<SyncView> {
  authorize(ctx, "sync.read");
  const { id } = parseInput(IdInput, input);
  const row = await ctx.db.sync.findFirst({ where: { id, workspaceId: ctx.workspaceId }, include: SYNC_VIEW_INCLUDE });
  if (!row) throw syncNotFound();
  return toSyncView(row);
}

const NameInput = z.object({ name: z.string().trim().min(1) });

/** By name, as the CLI and YAML refer to syncs. NOT_FOUND names it. */
export async function getSyncByName(ctx: WorkspaceContext, input: { name: string }): Promise<SyncView> {
  authorize(ctx, "sync.read");
  const { name } = parseInput(NameInput, input);
  const row = await ctx.db.sync.findFirst({ where: { name, workspaceId: ctx.workspaceId }, include: SYNC_VIEW_INCLUDE });
  if (!row) throw syncNotFound(name, ctx.workspaceSlug);
  return toSyncView(row);
}

/** The sync's unfinished run (at most one exists), or null. */
export async function getActiveRunId(ctx: WorkspaceContext, input: { syncId: string }): Promise<string | null> {
  authorize(ctx, "sync.read");
  const run = await ctx.db.syncRun.findFirst({
    where: { syncId: input.syncId, workspaceId: ctx.workspaceId, status: { notIn: ["succeeded", "failed", "cancelled"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return run?.id ?? null;
}

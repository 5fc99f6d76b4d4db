// Changes a sync. New mappings make its next run a full resync (the engine compares config hashes); a new
// schedule or enabling/disabling moves nextRunAt. A run already under way keeps the plan it started with.
import { UpdateSyncInput } from "@sluice/contracts/sync-config";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import { SYNC_VIEW_INCLUDE, type SyncView, syncNameTaken, syncNotFound } from "./sync-view";
import { assertSyncReferences, changeSync } from "./sync-writes";

export async function updateSync(ctx: WorkspaceContext, input: UpdateSyncInput): Promise<SyncView> {
  authorize(ctx, "sync.write");
  const { id, ...changes } = parseInput(UpdateSyncInput, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const row = await tx.sync.findFirst({ where: { id, workspaceId: ctx.workspaceId }, include: SYNC_VIEW_INCLUDE });
      if (!row) throw syncNotFound();
      await assertSyncReferences(tx, ctx, changes);
      return changeSync(tx, ctx, row, changes);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw syncNameTaken(changes.name ?? "");
    throw error;
  }
}

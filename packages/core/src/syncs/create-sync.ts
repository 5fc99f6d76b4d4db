// Creates a sync: model → destination with a mode, a mapping spec (validated) and a schedule.
import { CreateSyncInput } from "@sluice/contracts/sync-config";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import { type SyncView, syncNameTaken } from "./sync-view";
import { assertSyncReferences, insertSync } from "./sync-writes";

export async function createSync(ctx: WorkspaceContext, input: CreateSyncInput): Promise<SyncView> {
  authorize(ctx, "sync.write");
  const parsed = parseInput(CreateSyncInput, input);
  const data = { ...parsed, object: parsed.object ?? null };
  try {
    return await ctx.db.$transaction(async (tx) => {
      await assertSyncReferences(tx, ctx, data);
      return insertSync(tx, ctx, data);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw syncNameTaken(data.name);
    throw error;
  }
}

// `/syncs/{id}` takes a sync's id or its name (the CLI and YAML files refer to syncs by name).
import type { WorkspaceContext } from "@sluice/core/context";
import { AppError, isAppError } from "@sluice/core/errors";
import { getSync, getSyncByName } from "@sluice/core/syncs/list-syncs";
import type { SyncView } from "@sluice/core/syncs/sync-view";

/** The sync with this id, else the one with this name; NOT_FOUND for anything outside the key's workspace. */
export async function findSync(ctx: WorkspaceContext, ref: string): Promise<SyncView> {
  try {
    return await getSync(ctx, { id: ref });
  } catch (error) {
    if (!isAppError(error) || error.code !== "NOT_FOUND") throw error;
  }
  try {
    return await getSyncByName(ctx, { name: ref });
  } catch (error) {
    if (!isAppError(error) || error.code !== "NOT_FOUND") throw error;
    throw new AppError("NOT_FOUND", `No sync with id or name "${ref}" in this workspace.`);
  }
}

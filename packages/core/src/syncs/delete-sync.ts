// Deletes a sync, its runs and outcomes. A sync with a run under way cannot be deleted: cancel it first,
// so no worker keeps delivering for a sync that no longer exists.
import { IdInput } from "@sluice/contracts/connections";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { SYNC_VIEW_INCLUDE, syncAuditImage, syncNotFound, toSyncView } from "./sync-view";

export async function deleteSync(ctx: WorkspaceContext, input: { id: string }): Promise<{ id: string }> {
  authorize(ctx, "sync.write");
  const { id } = parseInput(IdInput, input);
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.sync.findFirst({ where: { id, workspaceId: ctx.workspaceId }, include: SYNC_VIEW_INCLUDE });
    if (!row) throw syncNotFound();
    // Lock the sync row so a run cannot be triggered between this check and the delete.
    await tx.$queryRaw`select id from sync where id = ${id} for update`;
    const active = await tx.syncRun.findFirst({
      where: { syncId: id, status: { notIn: ["succeeded", "failed", "cancelled"] } },
      select: { status: true },
    });
    if (active) {
      throw new AppError(
        "CONFLICT",
        `Sync "${row.name}" has a run in progress (${active.status}). Cancel it first, then delete the sync.`,
      );
    }
    await tx.sync.delete({ where: { id } });
    await recordAudit(tx, ctx, {
      action: "sync.delete",
      targetType: "sync",
      targetId: id,
      before: syncAuditImage(toSyncView(row)),
    });
    return { id };
  });
}

// Deletes a destination no sync writes to. Syncs are never deleted as a side effect: the user is told
// which ones to delete or repoint first.
import { IdInput } from "@sluice/contracts/connections";
import { recordAudit } from "../audit/record-audit";
import { toConnectionView } from "../connections/connection-view";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { destinationNotFound } from "./destination-view";

const NAMES_SHOWN = 3;

export async function deleteDestination(ctx: WorkspaceContext, input: { id: string }): Promise<{ id: string }> {
  authorize(ctx, "destination.write");
  const { id } = parseInput(IdInput, input);
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.destination.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
    if (!row) throw destinationNotFound();
    const syncs = await tx.sync.findMany({ where: { destinationId: id }, select: { name: true }, orderBy: { name: "asc" } });
    if (syncs.length > 0) {
      const names =
        syncs
          .slice(0, NAMES_SHOWN)
          .map((m) => `"${m.name}"`)
          .join(", ") + (syncs.length > NAMES_SHOWN ? ", …" : "");
      throw new AppError(
        "CONFLICT",
        `Destination "${row.name}" is used by ${syncs.length} sync${syncs.length === 1 ? "" : "s"} (${names}). Delete those syncs or point them at another destination first.`,
      );
    }
    await tx.destination.delete({ where: { id } });
    await recordAudit(tx, ctx, {
      action: "destination.delete",
      targetType: "destination",
      targetId: id,
      before: toConnectionView(row, ctx.keyring),
    });
    return { id };
  });
}

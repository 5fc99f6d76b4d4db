// Deletes a source no model reads from. Models are never deleted as a side effect: the user is told
// which ones to delete or move first.
import { IdInput } from "@sluice/contracts/connections";
import { recordAudit } from "../audit/record-audit";
import { toConnectionView } from "../connections/connection-view";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { sourceNotFound } from "./source-view";

const NAMES_SHOWN = 3;

export async function deleteSource(ctx: WorkspaceContext, input: { id: string }): Promise<{ id: string }> {
  authorize(ctx, "source.write");
  const { id } = parseInput(IdInput, input);
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.source.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
    if (!row) throw sourceNotFound();
    const models = await tx.model.findMany({ where: { sourceId: id }, select: { name: true }, orderBy: { name: "asc" } });
    if (models.length > 0) {
      const names =
        models
          .slice(0, NAMES_SHOWN)
          .map((m) => `"${m.name}"`)
          .join(", ") + (models.length > NAMES_SHOWN ? ", …" : "");
      throw new AppError(
        "CONFLICT",
        `Source "${row.name}" is used by ${models.length} model${models.length === 1 ? "" : "s"} (${names}). Delete those models or point them at another source first.`,
      );
    }
    await tx.source.delete({ where: { id } });
    await recordAudit(tx, ctx, {
      action: "source.delete",
      targetType: "source",
      targetId: id,
      before: toConnectionView(row, ctx.keyring),
    });
    return { id };
  });
}

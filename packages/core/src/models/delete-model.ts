// Deletes a model no sync reads from. Syncs are never deleted as a side effect: the user is told which.
import { IdInput } from "@sluice/contracts/connections";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { MODEL_VIEW_INCLUDE, modelAuditImage, modelNotFound, toModelView } from "./model-view";

const NAMES_SHOWN = 3;

export async function deleteModel(ctx: WorkspaceContext, input: { id: string }): Promise<{ id: string }> {
  authorize(ctx, "model.write");
  const { id } = parseInput(IdInput, input);
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.model.findFirst({ where: { id, workspaceId: ctx.workspaceId }, include: MODEL_VIEW_INCLUDE });
    if (!row) throw modelNotFound();
    const syncs = await tx.sync.findMany({ where: { modelId: id }, select: { name: true }, orderBy: { name: "asc" } });
    if (syncs.length > 0) {
      const names = syncs.slice(0, NAMES_SHOWN).map((s) => `"${s.name}"`);
      if (syncs.length > NAMES_SHOWN) names.push("…");
      throw new AppError(
        "CONFLICT",
        `Model "${row.name}" is used by ${syncs.length} sync${syncs.length === 1 ? "" : "s"} (${names.join(", ")}). Delete those syncs or point them at another model first.`,
      );
    }
    await tx.model.delete({ where: { id } });
    await recordAudit(tx, ctx, {
      action: "model.delete",
      targetType: "model",
      targetId: id,
      before: modelAuditImage(toModelView(row)),
    });
    return { id };
  });
}

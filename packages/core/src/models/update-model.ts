// Changes a model. A changed query or primary key makes the next run of each of its syncs a full resync
// (the engine compares config hashes), so nothing else needs resetting here.
import { UpdateModelInput } from "@sluice/contracts/sync-config";
import type { Model, Tx } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import { assertSourceInWorkspace, type ModelData } from "./create-model";
import { MODEL_VIEW_INCLUDE, type ModelView, modelAuditImage, modelNameTaken, modelNotFound, toModelView } from "./model-view";

export async function updateModel(
  ctx: WorkspaceContext,
  input: { id: string; name?: string; sourceId?: string; query?: string; primaryKey?: string[] },
): Promise<ModelView> {
  authorize(ctx, "model.write");
  const { id, ...changes } = parseInput(UpdateModelInput, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const row = await tx.model.findFirst({ where: { id, workspaceId: ctx.workspaceId }, include: MODEL_VIEW_INCLUDE });
      if (!row) throw modelNotFound();
      if (changes.sourceId !== undefined) await assertSourceInWorkspace(tx, ctx, changes.sourceId);
      return changeModel(tx, ctx, row, changes);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw modelNameTaken(changes.name ?? "");
    throw error;
  }
}

/** The write half of updateModel: `row` is the stored row (the audit's "before"), `changes` already validated. */
export async function changeModel(
  tx: Tx,
  ctx: WorkspaceContext,
  row: Model & { source: { name: string } },
  changes: Partial<ModelData>,
): Promise<ModelView> {
  const updated = await tx.model.update({ where: { id: row.id }, data: changes, include: MODEL_VIEW_INCLUDE });
  const view = toModelView(updated);
  await recordAudit(tx, ctx, {
    action: "model.update",
    targetType: "model",
    targetId: row.id,
    before: modelAuditImage(toModelView(row)),
    after: modelAuditImage(view),
  });
  return view;
}

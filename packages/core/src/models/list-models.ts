import { IdInput } from "@sluice/contracts/connections";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { MODEL_VIEW_INCLUDE, type ModelView, modelNotFound, toModelView } from "./model-view";

export async function listModels(ctx: WorkspaceContext): Promise<ModelView[]> {
  authorize(ctx, "model.read");
  const rows = await ctx.db.model.findMany({
    where: { workspaceId: ctx.workspaceId },
    include: MODEL_VIEW_INCLUDE,
    orderBy: { name: "asc" },
  });
  return rows.map(toModelView);
}

export async function getModel(ctx: WorkspaceContext, input: { id: string }): Promise<ModelView> {
  authorize(ctx, "model.read");
  const { id } = parseInput(IdInput, input);
  const row = await ctx.db.model.findFirst({ where: { id, workspaceId: ctx.workspaceId }, include: MODEL_VIEW_INCLUDE });
  if (!row) throw modelNotFound();
  return toModelView(row);
}

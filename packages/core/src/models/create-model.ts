// Registers a model: SQL over a source plus the primary key that identifies each row downstream.
import { CreateModelInput } from "@sluice/contracts/sync-config";
import type { Tx } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import {
  MODEL_VIEW_INCLUDE,
  type ModelView,
  modelAuditImage,
  modelNameTaken,
  modelSourceNotFound,
  toModelView,
} from "./model-view";

export interface ModelData {
  name: string;
  sourceId: string;
  query: string;
  primaryKey: string[];
}

export async function createModel(
  ctx: WorkspaceContext,
  input: { name: string; sourceId: string; query: string; primaryKey: string[] },
): Promise<ModelView> {
  authorize(ctx, "model.write");
  const data = parseInput(CreateModelInput, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      await assertSourceInWorkspace(tx, ctx, data.sourceId);
      return insertModel(tx, ctx, data);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw modelNameTaken(data.name);
    throw error;
  }
}

/** The write half of createModel, for callers that validated already and hold a transaction (applyConfig). */
export async function insertModel(tx: Tx, ctx: WorkspaceContext, data: ModelData): Promise<ModelView> {
  const row = await tx.model.create({ data: { workspaceId: ctx.workspaceId, ...data }, include: MODEL_VIEW_INCLUDE });
  const view = toModelView(row);
  await recordAudit(tx, ctx, { action: "model.create", targetType: "model", targetId: row.id, after: modelAuditImage(view) });
  return view;
}

export async function assertSourceInWorkspace(tx: Tx, ctx: WorkspaceContext, sourceId: string): Promise<void> {
  const found = await tx.source.findFirst({ where: { id: sourceId, workspaceId: ctx.workspaceId }, select: { id: true } });
  if (!found) throw modelSourceNotFound();
}

// Registers the demo model. Core has no model functions yet (a later issue adds them with query
// validation against the warehouse); this writes the row and its audit entry the same way they will.
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { isUniqueViolation } from "../validate-input";
import { DEMO_MODEL_NAME, DEMO_MODEL_PRIMARY_KEY, DEMO_MODEL_QUERY } from "./demo-objects";

export async function createDemoModel(ctx: WorkspaceContext, sourceId: string): Promise<{ id: string }> {
  authorize(ctx, "model.write");
  try {
    return await createInTransaction(ctx, sourceId);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A model named "${DEMO_MODEL_NAME}" already exists.`);
    throw error;
  }
}

function createInTransaction(ctx: WorkspaceContext, sourceId: string): Promise<{ id: string }> {
  return ctx.db.$transaction(async (tx) => {
    const model = await tx.model.create({
      data: {
        workspaceId: ctx.workspaceId,
        sourceId,
        name: DEMO_MODEL_NAME,
        query: DEMO_MODEL_QUERY,
        primaryKey: DEMO_MODEL_PRIMARY_KEY,
      },
    });
    const after = { id: model.id, name: model.name, sourceId, query: model.query, primaryKey: model.primaryKey };
    await recordAudit(tx, ctx, { action: "model.create", targetType: "model", targetId: model.id, after });
    return { id: model.id };
  });
}

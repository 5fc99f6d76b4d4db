import { IdInput } from "@sluice/contracts/connections";
import { CreateModelInput, UpdateModelInput } from "@sluice/contracts/sync-config";
import { createModel, deleteModel, getModel, listModels, updateModel } from "@sluice/core";
import { BrowseWarehouseInput, browseWarehouse } from "@sluice/core/models/browse-warehouse";
import { CheckModelKeyInput, checkModelKey } from "@sluice/core/models/check-model-key";
import { PreviewModelInput, previewModel } from "@sluice/core/models/preview-model";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

// Roles are enforced in core: reading (and browsing the warehouse's catalogue) is for viewers, changing models
// and running SQL on the warehouse (preview, key check) for editors and above.
export const modelRouter = {
  list: workspaceProcedure.query(({ ctx }) => listModels(ctx.workspace)),
  get: workspaceProcedure.input(IdInput).query(({ ctx, input }) => getModel(ctx.workspace, { id: input.id })),
  create: workspaceProcedure.input(CreateModelInput).mutation(({ ctx, input }) =>
    createModel(ctx.workspace, {
      name: input.name,
      sourceId: input.sourceId,
      query: input.query,
      primaryKey: input.primaryKey,
    }),
  ),
  update: workspaceProcedure.input(UpdateModelInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...changes } = input;
    return updateModel(ctx.workspace, changes);
  }),
  delete: workspaceProcedure.input(IdInput).mutation(({ ctx, input }) => deleteModel(ctx.workspace, { id: input.id })),
  /** The table picker: no schema → schemas; schema → tables and views; schema + table → columns. */
  browse: workspaceProcedure
    .input(BrowseWarehouseInput)
    .query(({ ctx, input }) =>
      browseWarehouse(ctx.workspace, { sourceId: input.sourceId, schema: input.schema, table: input.table }),
    ),
  /** A mutation: it runs the SQL on the warehouse (read-only, with a timeout). Invalid SQL → BAD_REQUEST. */
  preview: workspaceProcedure
    .input(PreviewModelInput)
    .mutation(({ ctx, input }) =>
      previewModel(ctx.workspace, { sourceId: input.sourceId, query: input.query, limit: input.limit }),
    ),
  /** Counts null and duplicated keys in the warehouse; `message` says how many rows a run would reject. */
  checkPrimaryKey: workspaceProcedure
    .input(CheckModelKeyInput)
    .mutation(({ ctx, input }) =>
      checkModelKey(ctx.workspace, { sourceId: input.sourceId, query: input.query, primaryKey: input.primaryKey }),
    ),
} satisfies TRPCRouterRecord;

import { CreateSourceInput, IdInput, TestConnectionInput, UpdateSourceInput } from "@sluice/contracts/connections";
import { createSource, deleteSource, getSource, listSources, testSourceConnection, updateSource } from "@sluice/core";
import { listSourceTypes } from "@sluice/core/sources/list-source-types";
import { SchemasToReadInput } from "@sluice/core/sources/test-source-connection";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

// Roles are enforced in core (source.write is admin and above); these procedures only route.
export const sourceRouter = {
  list: workspaceProcedure.query(({ ctx }) => listSources(ctx.workspace)),
  get: workspaceProcedure.input(IdInput).query(({ ctx, input }) => getSource(ctx.workspace, { id: input.id })),
  /** The warehouses a source can be, with each one's settings form as data. */
  types: workspaceProcedure.query(({ ctx }) => listSourceTypes(ctx.workspace)),
  create: workspaceProcedure
    .input(CreateSourceInput)
    .mutation(({ ctx, input }) => createSource(ctx.workspace, { name: input.name, type: input.type, config: input.config })),
  /** Secrets sent back as the mask (or left out) keep their stored value. */
  update: workspaceProcedure
    .input(UpdateSourceInput)
    .mutation(({ ctx, input }) => updateSource(ctx.workspace, { id: input.id, name: input.name, config: input.config })),
  delete: workspaceProcedure.input(IdInput).mutation(({ ctx, input }) => deleteSource(ctx.workspace, { id: input.id })),
  /** A mutation, not a query: it connects from the server and writes a scratch table in the warehouse. */
  test: workspaceProcedure.input(TestConnectionInput.and(SchemasToReadInput)).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...rest } = input;
    return testSourceConnection(ctx.workspace, rest);
  }),
} satisfies TRPCRouterRecord;

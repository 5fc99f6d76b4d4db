import { IdInput } from "@sluice/contracts/connections";
import { getSource, listSources } from "@sluice/core";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

export const sourceRouter = {
  list: workspaceProcedure.query(({ ctx }) => listSources(ctx.workspace)),
  get: workspaceProcedure.input(IdInput).query(({ ctx, input }) => getSource(ctx.workspace, { id: input.id })),
} satisfies TRPCRouterRecord;

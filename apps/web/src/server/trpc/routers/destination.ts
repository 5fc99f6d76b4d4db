import { IdInput } from "@sluice/contracts/connections";
import { getDestination, listDestinations } from "@sluice/core";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

export const destinationRouter = {
  list: workspaceProcedure.query(({ ctx }) => listDestinations(ctx.workspace)),
  get: workspaceProcedure.input(IdInput).query(({ ctx, input }) => getDestination(ctx.workspace, { id: input.id })),
} satisfies TRPCRouterRecord;

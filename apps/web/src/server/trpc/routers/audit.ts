import { ListAuditLogInput } from "@sluice/contracts/audit";
import { listAuditLog } from "@sluice/core";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

export const auditRouter = {
  list: workspaceProcedure.input(ListAuditLogInput).query(({ ctx, input }) =>
    listAuditLog(ctx.workspace, {
      ...(input.cursor ? { cursor: input.cursor } : {}),
      ...(input.limit ? { limit: input.limit } : {}),
    }),
  ),
} satisfies TRPCRouterRecord;

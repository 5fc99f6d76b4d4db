import { CreateWorkspaceInput } from "@sluice/contracts/workspaces";
import { createWorkspace, getWorkspaceSummary, listWorkspacesForUser } from "@sluice/core";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, workspaceProcedure } from "../init";

export const workspaceRouter = {
  list: authedProcedure.query(({ ctx }) => listWorkspacesForUser(ctx.services, ctx.user.id)),
  create: authedProcedure
    .input(CreateWorkspaceInput)
    .mutation(({ ctx, input }) =>
      createWorkspace(ctx.services, { userId: ctx.user.id, name: input.name, ...(input.slug ? { slug: input.slug } : {}) }),
    ),
  summary: workspaceProcedure.query(({ ctx }) => getWorkspaceSummary(ctx.workspace)),
} satisfies TRPCRouterRecord;

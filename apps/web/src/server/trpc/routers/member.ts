import { AddMemberInput, ChangeMemberRoleInput, RemoveMemberInput } from "@sluice/contracts/members";
import { addMember, changeMemberRole, listMembers, removeMember } from "@sluice/core";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

export const memberRouter = {
  list: workspaceProcedure.query(({ ctx }) => listMembers(ctx.workspace)),
  add: workspaceProcedure
    .input(AddMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.workspace, { email: input.email, role: input.role })),
  changeRole: workspaceProcedure
    .input(ChangeMemberRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.workspace, { userId: input.userId, role: input.role })),
  remove: workspaceProcedure
    .input(RemoveMemberInput)
    .mutation(({ ctx, input }) => removeMember(ctx.workspace, { userId: input.userId })),
} satisfies TRPCRouterRecord;

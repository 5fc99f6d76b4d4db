// Removes a member. Anyone may remove themselves (leave); removing someone else needs member.manage,
// removing an owner needs an owner, and the last owner can never go.
import { RemoveMemberInput } from "@sluice/contracts/members";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { assertAnotherOwnerRemains, assertMayTouchOwnership, lockWorkspace } from "./owner-guard";

export async function removeMember(ctx: WorkspaceContext, input: { userId: string }): Promise<{ userId: string }> {
  const { userId } = parseInput(RemoveMemberInput, input);
  const leaving = ctx.actor.type === "user" && ctx.actor.userId === userId;
  if (!leaving) authorize(ctx, "member.manage");
  return ctx.db.$transaction(async (tx) => {
    await lockWorkspace(tx, ctx.workspaceId);
    const m = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: ctx.workspaceId, userId } } });
    if (!m) throw new AppError("NOT_FOUND", "Member not found.");
    if (!leaving) assertMayTouchOwnership(ctx, m.role, undefined);
    if (m.role === "owner") await assertAnotherOwnerRemains(tx, ctx.workspaceId, userId);
    await tx.membership.delete({ where: { id: m.id } });
    await recordAudit(tx, ctx, { action: "member.remove", targetType: "member", targetId: userId, before: { role: m.role } });
    return { userId };
  });
}

import { ChangeMemberRoleInput } from "@sluice/contracts/members";
import type { Role } from "@sluice/contracts/roles";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { type MemberView, toMemberView } from "./member-view";
import { assertAnotherOwnerRemains, assertMayTouchOwnership, lockWorkspace } from "./owner-guard";

export async function changeMemberRole(ctx: WorkspaceContext, input: { userId: string; role: Role }): Promise<MemberView> {
  authorize(ctx, "member.manage");
  const { userId, role } = parseInput(ChangeMemberRoleInput, input);
  return ctx.db.$transaction(async (tx) => {
    await lockWorkspace(tx, ctx.workspaceId);
    const m = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: ctx.workspaceId, userId } },
      include: { user: { select: { name: true, email: true } } },
    });
    if (!m) throw new AppError("NOT_FOUND", "Member not found.");
    if (m.role === role) return toMemberView(m);
    assertMayTouchOwnership(ctx, m.role, role);
    if (m.role === "owner") await assertAnotherOwnerRemains(tx, ctx.workspaceId, userId);
    const updated = await tx.membership.update({
      where: { id: m.id },
      data: { role },
      include: { user: { select: { name: true, email: true } } },
    });
    await recordAudit(tx, ctx, {
      action: "member.changeRole",
      targetType: "member",
      targetId: userId,
      before: { role: m.role },
      after: { role },
    });
    return toMemberView(updated);
  });
}

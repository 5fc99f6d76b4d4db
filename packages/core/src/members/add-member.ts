// Adds an existing user (by email) to the workspace. There are no invitations yet, so the person must
// have signed up first — the message says so.
import { AddMemberInput } from "@sluice/contracts/members";
import type { Role } from "@sluice/contracts/roles";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { isUniqueViolation, parseInput } from "../validate-input";
import { type MemberView, toMemberView } from "./member-view";
import { assertMayTouchOwnership } from "./owner-guard";

export async function addMember(ctx: WorkspaceContext, input: { email: string; role: Role }): Promise<MemberView> {
  authorize(ctx, "member.manage");
  const { email, role } = parseInput(AddMemberInput, input);
  assertMayTouchOwnership(ctx, undefined, role);
  const user = await ctx.db.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } } });
  if (!user) {
    throw new AppError("NOT_FOUND", "No user with that email — ask them to sign up first.", {
      email: ["No user with that email — ask them to sign up first"],
    });
  }
  try {
    return await ctx.db.$transaction(async (tx) => {
      const m = await tx.membership.create({
        data: { workspaceId: ctx.workspaceId, userId: user.id, role },
        include: { user: { select: { name: true, email: true } } },
      });
      const view = toMemberView(m);
      await recordAudit(tx, ctx, { action: "member.add", targetType: "member", targetId: user.id, after: view });
      return view;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("CONFLICT", `${user.email} is already a member.`, { email: ["Already a member of this workspace"] });
  }
}

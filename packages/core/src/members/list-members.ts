import { authorize, type WorkspaceContext } from "../context";
import { type MemberView, toMemberView } from "./member-view";

export async function listMembers(ctx: WorkspaceContext): Promise<MemberView[]> {
  authorize(ctx, "member.read");
  const rows = await ctx.db.membership.findMany({
    where: { workspaceId: ctx.workspaceId },
    include: { user: { select: { name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toMemberView);
}

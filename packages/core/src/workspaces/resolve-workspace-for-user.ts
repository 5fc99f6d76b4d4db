// The context for a signed-in user acting in a workspace. A workspace the user does not belong to is
// NOT_FOUND, exactly like one that does not exist, so slugs cannot be probed.
import type { Services, WorkspaceContext } from "../context";
import { AppError } from "../errors";

export async function resolveWorkspaceForUser(s: Services, input: { userId: string; slug: string }): Promise<WorkspaceContext> {
  const membership = await s.db.membership.findFirst({
    where: { userId: input.userId, workspace: { slug: input.slug } },
    include: { workspace: { select: { id: true, slug: true } } },
  });
  if (!membership) throw new AppError("NOT_FOUND", "Workspace not found.");
  return {
    ...s,
    workspaceId: membership.workspace.id,
    workspaceSlug: membership.workspace.slug,
    role: membership.role,
    actor: { type: "user", userId: input.userId },
  };
}

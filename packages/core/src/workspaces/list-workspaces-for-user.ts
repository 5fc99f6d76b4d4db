import type { Role } from "@sluice/contracts/roles";
import type { Services } from "../context";

export async function listWorkspacesForUser(
  s: Services,
  userId: string,
): Promise<{ id: string; slug: string; name: string; role: Role }[]> {
  const memberships = await s.db.membership.findMany({
    where: { userId },
    include: { workspace: { select: { id: true, slug: true, name: true } } },
    orderBy: { workspace: { name: "asc" } },
  });
  return memberships.map((m) => ({ ...m.workspace, role: m.role }));
}

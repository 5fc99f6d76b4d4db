// Users, workspaces and keys made through the same core functions the app uses.
import type { ApiKeyRole, Role } from "@sluice/contracts/roles";
import { addMember, createApiKey, createWorkspace, resolveWorkspaceForUser, revokeApiKey } from "@sluice/core";
import type { Services, WorkspaceContext } from "@sluice/core/context";
import { uniqueName } from "@sluice/db/testing";

export async function createUser(s: Services, label = "user") {
  const id = uniqueName(label);
  return s.db.user.create({ data: { id, name: `Test ${label}`, email: `${id}@example.test` } });
}

export async function createWorkspaceWithOwner(s: Services): Promise<{ owner: { id: string }; ctx: WorkspaceContext }> {
  const owner = await createUser(s, "owner");
  const ws = await createWorkspace(s, { userId: owner.id, name: uniqueName("Workspace") });
  return { owner, ctx: await resolveWorkspaceForUser(s, { userId: owner.id, slug: ws.slug }) };
}

export async function addUserWithRole(s: Services, ctx: WorkspaceContext, role: Role) {
  const user = await createUser(s, role);
  await addMember(ctx, { email: user.email, role });
  return user;
}

export async function apiKeyFor(ctx: WorkspaceContext, role: ApiKeyRole, o: { revoked?: boolean } = {}): Promise<string> {
  const { apiKey, plaintext } = await createApiKey(ctx, { name: uniqueName("key"), role });
  if (o.revoked) await revokeApiKey(ctx, { id: apiKey.id });
  return plaintext;
}

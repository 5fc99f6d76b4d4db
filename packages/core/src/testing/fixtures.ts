// Test fixtures for core: real users and workspaces in the test database, and contexts for any role.
// Only tests import this file.
import { randomUUID } from "node:crypto";
import type { Role } from "@sluice/contracts/roles";
import { createKeyring, generateEncryptionKey } from "@sluice/db";
import { testDb, uniqueName } from "@sluice/db/testing";
import pino, { type Logger } from "pino";
import type { Services, WorkspaceContext } from "../context";
import { resolveWorkspaceForUser } from "../workspaces/resolve-workspace-for-user";

export function testServices(o: { log?: Logger; allowPrivateDestinations?: boolean } = {}): Services {
  return {
    db: testDb(),
    keyring: createKeyring(generateEncryptionKey()),
    log: o.log ?? pino({ level: "silent" }),
    allowPrivateDestinations: o.allowPrivateDestinations ?? false,
  };
}

export async function createUser(s: Services, label = "user"): Promise<{ id: string; email: string; name: string }> {
  const name = uniqueName(label);
  return s.db.user.create({
    data: { id: randomUUID(), name, email: `${name}@example.com` },
    select: { id: true, email: true, name: true },
  });
}

/** A fresh workspace with an owner, plus a context for a member of it with `role` (a new user unless owner). */
export async function workspaceWithRole(s: Services, role: Role = "owner"): Promise<WorkspaceContext & { ownerId: string }> {
  const owner = await createUser(s, "owner");
  const slug = uniqueName("ws");
  const ws = await s.db.workspace.create({
    data: { name: slug, slug, memberships: { create: { userId: owner.id, role: "owner" } } },
  });
  if (role === "owner") return { ...(await resolveWorkspaceForUser(s, { userId: owner.id, slug })), ownerId: owner.id };
  const member = await createUser(s, role);
  await s.db.membership.create({ data: { workspaceId: ws.id, userId: member.id, role } });
  return { ...(await resolveWorkspaceForUser(s, { userId: member.id, slug })), ownerId: owner.id };
}

/** The same workspace seen by another member with `role`. */
export async function asRole(ctx: WorkspaceContext, role: Role): Promise<WorkspaceContext> {
  const user = await createUser(ctx, role);
  await ctx.db.membership.create({ data: { workspaceId: ctx.workspaceId, userId: user.id, role } });
  return resolveWorkspaceForUser(ctx, { userId: user.id, slug: ctx.workspaceSlug });
}

/** Resolves to the AppError code a promise rejected with, or "resolved". */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

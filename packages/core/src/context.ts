// What every core function runs with: shared services, plus — for workspace-scoped calls — who is
// acting, in which workspace, with which role. Functions take a context instead of reaching for globals,
// so the web app, REST API, CLI and tests all call them the same way.
import { can, PERMISSIONS, type Permission, type Role } from "@sluice/contracts/roles";
import { createDb, createKeyring, type Db, type Keyring } from "@sluice/db";
import { AppError } from "./errors";
import { createLogger, type Logger } from "./log";

export interface Services {
  db: Db;
  keyring: Keyring;
  log: Logger;
  /** Operator switch (SLUICE_ALLOW_PRIVATE_DESTINATIONS): destinations may reach loopback/private addresses. */
  allowPrivateDestinations?: boolean;
}

export function createServices(o: {
  databaseUrl: string;
  encryptionKey: string;
  previousKeys?: string[];
  logName: string;
  allowPrivateDestinations?: boolean;
}): Services {
  return {
    db: createDb(o.databaseUrl),
    keyring: createKeyring(o.encryptionKey, o.previousKeys ?? []),
    log: createLogger(o.logName),
    allowPrivateDestinations: o.allowPrivateDestinations ?? false,
  };
}

/** Who acts: a signed-in user, an API key, or Sluice itself (the CLI, the scheduler), named for the audit log. */
export type Actor = { type: "user"; userId: string } | { type: "apiKey"; apiKeyId: string } | { type: "system"; name: string };

export interface WorkspaceContext extends Services {
  workspaceId: string;
  workspaceSlug: string;
  role: Role;
  actor: Actor;
}

/**
 * A context for Sluice acting on its own (the CLI on the operator's machine, the scheduler): owner rights,
 * since whoever runs them already holds the database credentials.
 */
export function systemContext(s: Services, o: { workspaceId: string; workspaceSlug: string; name: string }): WorkspaceContext {
  return {
    ...s,
    workspaceId: o.workspaceId,
    workspaceSlug: o.workspaceSlug,
    role: "owner",
    actor: { type: "system", name: o.name },
  };
}

/** What each permission lets you do, phrased to finish "Your role (viewer) cannot …". */
const PERMISSION_PHRASES: Record<Permission, string> = {
  "workspace.read": "view this workspace",
  "workspace.update": "change this workspace's settings",
  "workspace.delete": "delete this workspace",
  "member.read": "view members",
  "member.manage": "add, change or remove members",
  "apiKey.read": "view API keys",
  "apiKey.manage": "create or revoke API keys",
  "source.read": "view sources",
  "source.write": "create, change, test or delete sources",
  "destination.read": "view destinations",
  "destination.write": "create, change, test or delete destinations",
  "model.read": "view models",
  "model.write": "create, change or delete models",
  "sync.read": "view syncs",
  "sync.write": "create, change or delete syncs",
  "sync.run": "start, pause or cancel sync runs",
  "audit.read": "read the audit log",
  "demo.load": "load the demo",
};

/** Throws FORBIDDEN unless the context's role grants `permission`. Call it first in every scoped function. */
export function authorize(ctx: WorkspaceContext, permission: Permission): void {
  if (can(ctx.role, permission)) return;
  const who =
    ctx.actor.type === "apiKey" ? "This API key's role" : ctx.actor.type === "system" ? `${ctx.actor.name}'s role` : "Your role";
  throw new AppError(
    "FORBIDDEN",
    `${who} (${ctx.role}) cannot ${PERMISSION_PHRASES[permission]}; that needs ${PERMISSIONS[permission]} or above.`,
  );
}

// Workspace roles and what each may do. Viewers see; editors change models and syncs; admins manage
// sources, destinations, members and API keys; owners also manage the workspace itself.
import { z } from "zod";

export const RoleSchema = z.enum(["owner", "admin", "editor", "viewer"]);
export type Role = z.infer<typeof RoleSchema>;

/** Roles an API key may carry (a key never owns a workspace). */
export const ApiKeyRoleSchema = z.enum(["admin", "editor", "viewer"]);
export type ApiKeyRole = z.infer<typeof ApiKeyRoleSchema>;

export const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export const PERMISSIONS = {
  "workspace.read": "viewer",
  "workspace.update": "owner",
  "workspace.delete": "owner",
  "member.read": "viewer",
  "member.manage": "admin",
  "apiKey.read": "admin",
  "apiKey.manage": "admin",
  "source.read": "viewer",
  "source.write": "admin",
  "destination.read": "viewer",
  "destination.write": "admin",
  "model.read": "viewer",
  "model.write": "editor",
  "sync.read": "viewer",
  "sync.write": "editor",
  "sync.run": "editor",
  "audit.read": "admin",
  "demo.load": "admin",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission]];
}

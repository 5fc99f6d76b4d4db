import type { ApiKeyRole } from "@sluice/contracts/roles";
import type { ApiKey } from "@sluice/db";

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function toApiKeyView(row: ApiKey): ApiKeyView {
  // Keys are only ever created with an ApiKeyRole; "owner" cannot occur.
  const role = row.role === "owner" ? "admin" : row.role;
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

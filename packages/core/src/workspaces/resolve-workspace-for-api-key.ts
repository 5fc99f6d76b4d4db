// The context for a request carrying an API key. Keys are looked up by their SHA-256, so the database
// never holds anything that could be replayed; unknown and revoked keys get the same answer.
import { API_KEY_PREFIX } from "@sluice/contracts/api-keys";
import { hashApiKey } from "../api-keys/api-key-format";
import type { Services, WorkspaceContext } from "../context";
import { AppError } from "../errors";

const INVALID = "Invalid or revoked API key.";
const LAST_USED_RESOLUTION_MS = 60_000;

export async function resolveWorkspaceForApiKey(s: Services, plaintextKey: string): Promise<WorkspaceContext> {
  const key = plaintextKey.trim();
  if (!key.startsWith(API_KEY_PREFIX)) throw new AppError("UNAUTHORIZED", INVALID);
  const row = await s.db.apiKey.findUnique({
    where: { hashedKey: hashApiKey(key) },
    include: { workspace: { select: { id: true, slug: true } } },
  });
  if (!row || row.revokedAt) throw new AppError("UNAUTHORIZED", INVALID);
  const now = Date.now();
  // At most one write per key per minute: a busy CLI or integration should not write on every request.
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await s.db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    ...s,
    workspaceId: row.workspace.id,
    workspaceSlug: row.workspace.slug,
    role: row.role,
    actor: { type: "apiKey", apiKeyId: row.id },
  };
}

// For the worker only (never exposed to a client): a source with its secrets opened, ready to connect.

import { openStored } from "../connections/config-secrets";
import type { Services } from "../context";
import { sourceNotFound } from "./source-view";

export interface SourceWithSecrets {
  id: string;
  workspaceId: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
}

export async function loadSourceWithSecrets(s: Services, id: string): Promise<SourceWithSecrets> {
  const row = await s.db.source.findUnique({ where: { id } });
  if (!row) throw sourceNotFound();
  const config = { ...(row.config as Record<string, unknown>), ...openStored(row, s.keyring) };
  return { id: row.id, workspaceId: row.workspaceId, name: row.name, type: row.type, config };
}

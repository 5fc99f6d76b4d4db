// For the worker only (never exposed to a client): a destination with its secrets opened, ready to connect.

import { openStored } from "../connections/config-secrets";
import type { Services } from "../context";
import { destinationNotFound } from "./destination-view";

export interface DestinationWithSecrets {
  id: string;
  workspaceId: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
}

export async function loadDestinationWithSecrets(s: Services, id: string): Promise<DestinationWithSecrets> {
  const row = await s.db.destination.findUnique({ where: { id } });
  if (!row) throw destinationNotFound();
  const config = { ...(row.config as Record<string, unknown>), ...openStored(row, s.keyring) };
  return { id: row.id, workspaceId: row.workspaceId, name: row.name, type: row.type, config };
}

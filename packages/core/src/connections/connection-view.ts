// What leaves the server for a source or destination: plain settings plus masked secrets, never values.
import type { Keyring } from "@sluice/db";
import { type Config, maskSecrets, openStored } from "./config-secrets";

export interface ConnectionView {
  id: string;
  name: string;
  type: string;
  /** Connector config; every secret value is replaced by SECRET_MASK ("••••••••"). */
  config: Config;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConnectionRow {
  id: string;
  name: string;
  type: string;
  config: unknown;
  encryptedSecrets: string | null;
  encryptionKeyId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toConnectionView(row: ConnectionRow, keyring: Keyring): ConnectionView {
  let secrets: Config;
  try {
    secrets = openStored(row, keyring);
  } catch {
    // A key no longer on the ring must not hide the whole list; the mask still says "a secret is set".
    secrets = { _secrets: "unreadable" };
  }
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    config: { ...(row.config as Config), ...maskSecrets(secrets) },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

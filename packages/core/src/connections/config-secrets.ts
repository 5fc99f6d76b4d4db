// Splitting a connector config into plain settings (stored as JSON) and secrets (sealed), masking
// secrets for views, and merging an edit whose secrets were left out or sent back masked.
// A secret field holds either a string (masked whole) or a record of strings (each value masked,
// names visible — e.g. webhook headers).
import { SECRET_MASK } from "@sluice/contracts/connections";
import { type Keyring, openSecrets, sealSecrets } from "@sluice/db";

export type Config = Record<string, unknown>;

export function splitSecrets(config: Config, secretFields: readonly string[]): { plain: Config; secrets: Config } {
  const plain: Config = {};
  const secrets: Config = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    (secretFields.includes(key) ? secrets : plain)[key] = value;
  }
  return { plain, secrets };
}

export function maskSecrets(secrets: Config): Config {
  return Object.fromEntries(Object.entries(secrets).map(([key, value]) => [key, maskValue(value)]));
}

function maskValue(value: unknown): unknown {
  if (isRecord(value)) return Object.fromEntries(Object.keys(value).map((k) => [k, SECRET_MASK]));
  return SECRET_MASK;
}

/** `incoming` with each secret that is omitted or equal to the mask replaced by the stored value. */
export function mergeSecrets(incoming: Config, stored: Config, secretFields: readonly string[]): Config {
  const merged: Config = { ...incoming };
  for (const key of secretFields) {
    const value = incoming[key];
    const kept = stored[key];
    if (value === undefined || value === SECRET_MASK) {
      if (kept === undefined) delete merged[key];
      else merged[key] = kept;
    } else if (isRecord(value)) {
      const keptRecord = isRecord(kept) ? kept : {};
      const entries = Object.entries(value).flatMap(([k, v]) => {
        if (v !== SECRET_MASK) return [[k, v]];
        return k in keptRecord ? [[k, keptRecord[k]]] : [];
      });
      merged[key] = Object.fromEntries(entries);
    }
  }
  return merged;
}

export function sealIfAny(
  secrets: Config,
  keyring: Keyring,
): { encryptedSecrets: string | null; encryptionKeyId: string | null } {
  if (Object.keys(secrets).length === 0) return { encryptedSecrets: null, encryptionKeyId: null };
  return sealSecrets(secrets, keyring);
}

export function openStored(row: { encryptedSecrets: string | null; encryptionKeyId: string | null }, keyring: Keyring): Config {
  if (!row.encryptedSecrets || !row.encryptionKeyId) return {};
  return openSecrets<Config>({ encryptedSecrets: row.encryptedSecrets, encryptionKeyId: row.encryptionKeyId }, keyring);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

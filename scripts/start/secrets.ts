// Secrets the zero-setup default keeps under the Sluice home: generated once, mode 0600, reused on every
// start. A value set in the environment always wins (and nothing is written).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateEncryptionKey, parseEncryptionKey } from "../../packages/db/src/crypto";
import { StartupError } from "./startup-error";

export interface ResolvedSecret {
  value: string;
  source: "environment" | "file" | "generated";
  file?: string;
}

/** Reads `file`, or creates it with `generate()` (mode 0600, never overwriting a file that appeared meanwhile). */
export function readOrCreateSecretFile(file: string, generate: () => string): ResolvedSecret {
  if (existsSync(file)) {
    // Tighten a file someone loosened: it holds a secret.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { value: readFileSync(file, "utf8").trim(), source: "file", file };
  }
  const value = generate();
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readOrCreateSecretFile(file, generate);
    throw error;
  }
  return { value, source: "generated", file };
}

export function resolveEncryptionKey(fromEnv: string | undefined, home: string): ResolvedSecret {
  if (fromEnv) return { value: fromEnv, source: "environment" };
  const secret = readOrCreateSecretFile(path.join(home, "encryption.key"), generateEncryptionKey);
  try {
    parseEncryptionKey(secret.value);
  } catch {
    throw new StartupError(
      `${secret.file} does not hold a valid 32-byte key — restore it from a backup (a new key cannot read secrets already stored), or set SLUICE_ENCRYPTION_KEY`,
    );
  }
  return secret;
}

export function resolveAuthSecret(fromEnv: string | undefined, home: string): ResolvedSecret {
  if (fromEnv) return { value: fromEnv, source: "environment" };
  const secret = readOrCreateSecretFile(path.join(home, "auth-secret"), () => randomBytes(32).toString("base64url"));
  if (secret.value.length < 32) {
    throw new StartupError(
      `${secret.file} holds a secret shorter than 32 characters — delete the file (everyone is signed out) or set SLUICE_AUTH_SECRET`,
    );
  }
  return secret;
}

// Secrets the zero-setup default keeps under the Sluice home: generated once, mode 0600, reused on every
// start. A value set in the environment always wins (and nothing is written).
import { randomBytes } from "node:crypto";
import path from "node:path";
import {
  type ResolvedSecret,
  RuntimeConfigError,
  readOrCreateSecretFile,
  resolveEncryptionKey as resolveKey,
} from "../../packages/db/src/runtime-config";
import { StartupError } from "./startup-error";

export { type ResolvedSecret, readOrCreateSecretFile };

/** The shared resolution (packages/db/src/runtime-config.ts), its problems reported as start-up errors. */
export function resolveEncryptionKey(fromEnv: string | undefined, home: string): ResolvedSecret {
  try {
    return resolveKey(fromEnv, home);
  } catch (error) {
    if (error instanceof RuntimeConfigError) throw new StartupError(error.message);
    throw error;
  }
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

// Secrets at rest: AES-256-GCM with a 96-bit random IV per envelope. Each envelope records the id of
// the key that sealed it, so keys can be rotated: the current key seals, any key on the ring opens.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE_VERSION = "v1";

export interface EncryptionKey {
  /** Short fingerprint of the key (not secret: a hash prefix), stored beside each envelope. */
  id: string;
  key: Buffer;
}

export interface Keyring {
  current: EncryptionKey;
  /** Older keys still able to open envelopes sealed before a rotation. */
  previous: EncryptionKey[];
}

export class EncryptionKeyError extends Error {
  override name = "EncryptionKeyError";
}

/**
 * Parses a 256-bit key given as 64 hex characters or as base64 (44 characters with padding).
 * Throws EncryptionKeyError with a one-line explanation of what is wrong and how to make a good key.
 */
export function parseEncryptionKey(text: string, variable = "SLUICE_ENCRYPTION_KEY"): EncryptionKey {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length === KEY_BYTES * 2) key = Buffer.from(trimmed, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, "base64");
    if (decoded.length === KEY_BYTES) key = decoded;
  }
  if (!key) {
    throw new EncryptionKeyError(
      `${variable} must be 32 bytes, as 64 hex characters or base64 (got ${trimmed.length} characters); ` +
        `make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  return { id: fingerprint(key), key };
}

export function fingerprint(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

export function createKeyring(current: string, previous: string[] = []): Keyring {
  return {
    current: parseEncryptionKey(current),
    previous: previous.filter((k) => k.trim() !== "").map((k) => parseEncryptionKey(k, "SLUICE_ENCRYPTION_KEY_PREVIOUS")),
  };
}

export interface SealedSecrets {
  encryptedSecrets: string;
  encryptionKeyId: string;
}

/** Seals a JSON-serialisable value with the keyring's current key. */
export function sealSecrets(value: unknown, keyring: Keyring): SealedSecrets {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // The key id is authenticated data: an envelope cannot be relabelled to another key.
  cipher.setAAD(Buffer.from(id));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  const encryptedSecrets = [ENVELOPE_VERSION, iv.toString("base64"), tag.toString("base64"), body.toString("base64")].join(":");
  return { encryptedSecrets, encryptionKeyId: id };
}

/** Opens an envelope with the key it names. Throws when that key is not on the ring or the data was altered. */
export function openSecrets<T = unknown>(sealed: SealedSecrets, keyring: Keyring): T {
  const entry = [keyring.current, ...keyring.previous].find((k) => k.id === sealed.encryptionKeyId);
  if (!entry) {
    throw new EncryptionKeyError(
      `secrets were sealed with key ${sealed.encryptionKeyId}, which is neither SLUICE_ENCRYPTION_KEY nor in SLUICE_ENCRYPTION_KEY_PREVIOUS`,
    );
  }
  const [version, iv, tag, body] = sealed.encryptedSecrets.split(":");
  if (version !== ENVELOPE_VERSION || !iv || !tag || !body) throw new EncryptionKeyError("unreadable secrets envelope");
  const decipher = createDecipheriv("aes-256-gcm", entry.key, Buffer.from(iv, "base64"));
  decipher.setAAD(Buffer.from(entry.id));
  const tagBytes = Buffer.from(tag, "base64");
  if (tagBytes.length !== TAG_BYTES) throw new EncryptionKeyError("unreadable secrets envelope");
  decipher.setAuthTag(tagBytes);
  const plain = Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]);
  return JSON.parse(plain.toString("utf8")) as T;
}

/** True when an envelope was sealed with an older key and should be re-sealed with the current one. */
export function needsRotation(sealed: SealedSecrets, keyring: Keyring): boolean {
  return sealed.encryptionKeyId !== keyring.current.id;
}

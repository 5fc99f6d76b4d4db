// API key format: "slk_" + 32 random bytes (base64url). Only the SHA-256 is stored — a fast hash is
// right here because the key has 256 bits of entropy; slow hashes exist for guessable passwords.
import { createHash, randomBytes } from "node:crypto";
import { API_KEY_PREFIX } from "@sluice/contracts/api-keys";

const KEY_BYTES = 32;
/** How much of the key is kept in clear so people can tell keys apart: "slk_" + 8 characters. */
export const API_KEY_VISIBLE_CHARS = 12;

export function generateApiKey(): { plaintext: string; hashedKey: string; prefix: string } {
  const plaintext = API_KEY_PREFIX + randomBytes(KEY_BYTES).toString("base64url");
  return { plaintext, hashedKey: hashApiKey(plaintext), prefix: plaintext.slice(0, API_KEY_VISIBLE_CHARS) };
}

export function hashApiKey(plaintext: string): string {
  return createHash("sha256").update(plaintext).digest("hex");
}

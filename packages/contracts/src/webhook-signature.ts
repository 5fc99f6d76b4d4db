// HMAC-SHA256 signatures for webhook bodies. Kept apart from webhook.ts because it needs node:crypto,
// and the schemas in webhook.ts must stay importable from browser bundles.
import { createHmac, timingSafeEqual } from "node:crypto";
import { WEBHOOK_SIGNATURE_PREFIX } from "./webhook";

/** The header value for `rawBody`: `sha256=<hex>`. Sign the exact bytes sent, not a re-serialisation. */
export function signWebhookBody(rawBody: string | Uint8Array, secret: string): string {
  return WEBHOOK_SIGNATURE_PREFIX + createHmac("sha256", secret).update(rawBody).digest("hex");
}

/**
 * True when `header` is the signature of `rawBody` under `secret`. The comparison is constant-time
 * (so the expected value cannot be guessed byte by byte from response timings); a missing or
 * malformed header is simply false.
 */
export function verifyWebhookSignature(rawBody: string | Uint8Array, header: string | null | undefined, secret: string): boolean {
  if (!header) return false;
  const given = header.trim();
  if (!given.toLowerCase().startsWith(WEBHOOK_SIGNATURE_PREFIX)) return false;
  const hex = given.slice(WEBHOOK_SIGNATURE_PREFIX.length).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}

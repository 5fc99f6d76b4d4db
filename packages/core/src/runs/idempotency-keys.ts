import { createHash } from "node:crypto";

/**
 * A record's idempotency key: the same for every send of that row state within one run (a batch re-sent after
 * a crash or a lease takeover carries the same keys, so destinations that take keys deduplicate it), and new
 * in a later run, which sends a row again only because it changed (possibly back to an earlier state), failed,
 * or a full resync was asked for: none of those may be swallowed by a destination's deduplication window.
 * 64 hex characters: 32 of sha256(sync, run), computed once per run, then the row hash, which already covers
 * the primary key and values (see DiffRow.hash), so a record costs a string concatenation, not a hash.
 */
export function idempotencyKeys(syncId: string, runId: string): (keyValues: unknown[], hash: string) => string {
  const prefix = createHash("sha256").update(`${syncId}\n${runId}`).digest("hex").slice(0, 32);
  return (keyValues, hash) =>
    hash.length === 32
      ? prefix + hash
      : // A hash of another length (another adapter's): hashed with the key, keeping the 64-character form.
        createHash("sha256")
          .update(`${prefix}\n${JSON.stringify(keyValues)}\n${hash}`)
          .digest("hex");
}

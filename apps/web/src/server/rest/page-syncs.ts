// Pages of the workspace's syncs for GET /api/v1/syncs. Keyset on the name (unique per workspace), compared
// by code point so the order never depends on the database's collation, and a deleted sync cannot break a
// cursor. The cursor is opaque to clients: the last name, base64url-encoded.

import { AppError } from "@sluice/core/errors";
import type { SyncView } from "@sluice/core/syncs/sync-view";

const byName = (a: SyncView, b: SyncView) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function encodeSyncCursor(name: string): string {
  return Buffer.from(name, "utf8").toString("base64url");
}

function decodeSyncCursor(cursor: string): string {
  const name = Buffer.from(cursor, "base64url").toString("utf8");
  if (name === "" || encodeSyncCursor(name) !== cursor) {
    throw new AppError(
      "BAD_REQUEST",
      "The cursor is not one this API returned: pass `nextCursor` from the previous page unchanged.",
      {
        cursor: ["Unrecognised cursor"],
      },
    );
  }
  return name;
}

export function pageSyncs(
  syncs: SyncView[],
  o: { limit: number; cursor?: string },
): { items: SyncView[]; nextCursor: string | null } {
  const after = o.cursor === undefined ? undefined : decodeSyncCursor(o.cursor);
  const rest = [...syncs].sort(byName).filter((s) => after === undefined || s.name > after);
  const items = rest.slice(0, o.limit);
  const last = items.at(-1);
  return { items, nextCursor: rest.length > o.limit && last ? encodeSyncCursor(last.name) : null };
}

// "Resync everything" asks before it sends: how many records a full resync would send. The warehouse counts
// the model's rows and the rows a run would quarantine (null or duplicated keys) in one pass — the same
// check the model editor runs — and the last planned run's numbers come along for comparison.
import type { RunStatus } from "@sluice/contracts/run-view";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { z } from "zod";
import type { WorkspaceContext } from "../context";
import { authorizeWarehouseQuery, withSourceWarehouse } from "../models/browse-warehouse";
import { parseInput } from "../validate-input";
import { syncNotFound } from "./sync-view";

export const EstimateFullResyncInput = z.object({ syncId: z.string().min(1) });
export type EstimateFullResyncInput = z.input<typeof EstimateFullResyncInput>;

export interface FullResyncEstimate {
  syncId: string;
  mode: SyncMode;
  /** Rows the model returns now. */
  modelRows: number;
  /** Rows a run would reject before sending: null keys and every row sharing a duplicated key. */
  quarantinedRows: number;
  /** Records a full resync would send: exact for upsert and mirror (plus mirror's deletions), at most this for insert and update. */
  rowsToSend: number;
  exact: boolean;
  elapsedMs: number;
  /** The latest run that got as far as planning, with what it planned; null when none has. */
  lastRun: {
    id: string;
    status: RunStatus;
    fullResync: boolean;
    createdAt: string;
    planned: number;
    added: number;
    changed: number;
    removed: number;
  } | null;
  message: string;
}

export async function estimateFullResync(ctx: WorkspaceContext, input: EstimateFullResyncInput): Promise<FullResyncEstimate> {
  authorizeWarehouseQuery(ctx);
  const { syncId } = parseInput(EstimateFullResyncInput, input);
  const sync = await ctx.db.sync.findFirst({
    where: { id: syncId, workspaceId: ctx.workspaceId },
    select: { id: true, mode: true, model: { select: { sourceId: true, query: true, primaryKey: true } } },
  });
  if (!sync) throw syncNotFound();
  const { model } = sync;
  const check = await withSourceWarehouse(ctx, model.sourceId, (session) =>
    session.checkPrimaryKey(model.query, model.primaryKey),
  );
  const last = await ctx.db.syncRun.findFirst({
    where: { syncId, workspaceId: ctx.workspaceId, startedAt: { not: null } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      status: true,
      fullResync: true,
      createdAt: true,
      planned: true,
      added: true,
      changed: true,
      removed: true,
    },
  });
  const quarantinedRows = check.nullKeys + check.duplicateRows;
  const rowsToSend = Math.max(0, check.rows - quarantinedRows);
  return {
    syncId: sync.id,
    mode: sync.mode,
    modelRows: check.rows,
    quarantinedRows,
    rowsToSend,
    exact: sync.mode === "upsert" || sync.mode === "mirror",
    elapsedMs: check.elapsedMs,
    lastRun: last ? { ...last, createdAt: last.createdAt.toISOString() } : null,
    message: explain(sync.mode, rowsToSend, quarantinedRows),
  };
}

function explain(mode: SyncMode, rows: number, quarantined: number): string {
  const n = `${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}`;
  const left =
    quarantined > 0 ? ` ${quarantined.toLocaleString("en-US")} more with a null or duplicated key would be rejected.` : "";
  switch (mode) {
    case "upsert":
      return `A full resync would send all ${n} of the model again.${left}`;
    case "mirror":
      return `A full resync would send all ${n} of the model again, and delete records whose rows are gone from it.${left}`;
    case "insert":
      return `A full resync would send at most ${n}: insert mode only sends rows it has not created yet.${left}`;
    case "update":
      return `A full resync would send at most ${n}: update mode only sends rows that were synced before.${left}`;
  }
}

// The warehouse side of a sync run (DESIGN.md "One sync run"): every adapter materializes the model as a
// snapshot, diffs it against the last committed snapshot, serves the diff page by page and promotes the
// snapshot at commit — all inside the warehouse, so no model row travels to Node except through readDiffPage.
// Adding a warehouse is one folder implementing WarehouseSession in its own SQL dialect, plus a line below.
import { createHash } from "node:crypto";
import { postgresWarehouseAdapter } from "../warehouses/postgres/adapter";

export interface ColumnInfo {
  name: string;
  type: string;
}

/** Where one run's tables live. `committed` outlives runs; the other three are the run's transient tables. */
export interface RunTables {
  schema: string;
  committed: string;
  snapshot: string;
  diff: string;
  quarantine: string;
}

export const DIFF_OPS = ["added", "changed", "removed"] as const;
export type DiffOp = (typeof DIFF_OPS)[number];

/** Most rows one readDiffPage call returns; adapters must honour at least this many (the engine reads up to it). */
export const MAX_DIFF_PAGE = 50_000;

export interface DiffRow {
  op: DiffOp;
  /** Primary key column → value. Values are JSON-safe enough to come back as `after` (bigint/numeric are strings). */
  key: Record<string, unknown>;
  /**
   * Primary key + mapped columns. For removed rows, the values last committed (null where the committed
   * snapshot lacks the column); null when the adapter cannot tell.
   */
  row: Record<string, unknown> | null;
  /**
   * Hash of the row's new state, primary key included, so no two rows of a diff share it (for removed rows: a
   * hash of the deletion, distinct from any row state). The engine builds idempotency keys from it.
   */
  hash: string;
  prevHash: string | null;
}

export interface QuarantinedRow {
  key: Record<string, unknown>;
  reason: string;
}

export const OUTCOME_STATUSES = ["delivered", "rejected", "failed"] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export interface SnapshotInput {
  tables: RunTables;
  query: string;
  primaryKey: string[];
  /** Mapped columns (may include primary key columns). */
  columns: string[];
}

export interface DiffInput {
  tables: RunTables;
  primaryKey: string[];
  columns: string[];
  ops: DiffOp[];
  fullResync: boolean;
}

export interface PrimaryKeyCheck {
  rows: number;
  nullKeys: number;
  /** Key values that more than one row shares. */
  duplicateKeys: number;
  /** Rows involved in those duplicates. */
  duplicateRows: number;
  /** Up to five duplicated key values, column → value. */
  examples: Record<string, unknown>[];
  elapsedMs: number;
}

export interface WarehouseSession {
  listSchemas(): Promise<string[]>;
  listTables(schema: string): Promise<{ name: string; kind: "table" | "view" }[]>;
  listColumns(schema: string, table: string): Promise<ColumnInfo[]>;
  preview(sql: string, limit: number): Promise<{ columns: ColumnInfo[]; rows: Record<string, unknown>[]; elapsedMs: number }>;
  /** Model SQL errors → WarehouseError (kind "model") whose message starts "model SQL is invalid: ". */
  describeQuery(sql: string): Promise<ColumnInfo[]>;
  /**
   * The model's row whose columns equal `key` (primary key column → value, as a preview returned it), or
   * null; read only, like preview. Optional: without it, "test one row" can only send the model's first row.
   */
  readRowByKey?(sql: string, key: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  /**
   * How well `primaryKey` identifies the model's rows, counted in the warehouse: rows, rows with a null in
   * a key column, and distinct key values held by more than one row (with an example of each).
   */
  checkPrimaryKey(sql: string, primaryKey: string[]): Promise<PrimaryKeyCheck>;
  /**
   * (Re)creates tables.snapshot (pk + mapped columns + __sluice_hash) and tables.quarantine (null and duplicate
   * primary keys, left out of the snapshot). Returns up to 1,000 quarantined rows and the total. Idempotent.
   */
  snapshot(o: SnapshotInput): Promise<{ rows: number; quarantined: QuarantinedRow[]; quarantinedCount: number }>;
  /** (Re)creates tables.diff, keyed by the primary key, keeping only `ops`. Idempotent. */
  diff(o: DiffInput): Promise<{ added: number; changed: number; removed: number }>;
  /** Keyset page of the diff in primary key order, after the key values `after` (as returned before, JSON-roundtripped). */
  readDiffPage(o: {
    tables: RunTables;
    primaryKey: string[];
    columns: string[];
    after: unknown[] | null;
    limit: number;
    /**
     * How timestamp values arrive: Date objects (default), or — for destinations that only ever serialize
     * values to JSON — the ISO 8601 UTC string JSON would make of that Date (`2026-11-24T13:45:07.123Z`),
     * which is much cheaper to read and to serialize.
     */
    timestamps?: "date" | "iso";
  }): Promise<DiffRow[]>;
  /**
   * Records delivery outcomes in the diff. Idempotent (last outcome wins). Only `failed` changes what commit
   * does; the engine marks nothing else (a row left unmarked counts as delivered).
   */
  markOutcomes(o: {
    tables: RunTables;
    primaryKey: string[];
    outcomes: { key: Record<string, unknown>; status: OutcomeStatus }[];
  }): Promise<void>;
  /**
   * One transaction: committed := snapshot, except failed diff rows keep their previous state and
   * quarantined keys keep their committed row; then the run's transient tables are dropped. Repeatable.
   * Called only once every diff row was handled: unmarked rows count as delivered.
   */
  commit(o: { tables: RunTables; primaryKey: string[]; columns: string[] }): Promise<void>;
  /** Drops the run's transient tables; committed stays as it is. */
  cleanup(o: { tables: RunTables }): Promise<void>;
  close(): Promise<void>;
}

export interface WarehouseAdapter<C> {
  /** Connection failures → WarehouseError (kind "connection") with an actionable message. */
  open(config: C): Promise<WarehouseSession>;
}

/**
 * Why a warehouse operation failed. `connection`: unreachable / refused / lost; `model`: the model's SQL is
 * invalid or failed (message starts "model SQL is invalid: "); `model-columns`: a primary key or mapped column
 * is missing from the model; `warehouse`: anything else the warehouse refused (privileges, missing run tables, …).
 */
export type WarehouseErrorKind = "connection" | "model" | "model-columns" | "warehouse";

export class WarehouseError extends Error {
  override name = "WarehouseError";
  constructor(
    readonly kind: WarehouseErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isWarehouseError(e: unknown): e is WarehouseError {
  return e instanceof WarehouseError;
}

const MAX_IDENTIFIER_BYTES = 63; // PostgreSQL's NAMEDATALEN - 1; the tightest of the warehouses we target
const MAX_ID_CHARS = 28; // "diff_" + 28 + "_" + 28 = 62

function tableId(id: string): string {
  const clean = id.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (clean.length > 0 && clean.length <= MAX_ID_CHARS) return clean;
  // Too long (or nothing left): keep a readable prefix and make it unique with a hash of the full id.
  const digest = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${clean.slice(0, MAX_ID_CHARS - 8)}${digest}`;
}

export function runTables(sluiceSchema: string, syncId: string, runId: string): RunTables {
  const s = tableId(syncId);
  const r = tableId(runId);
  const tables = {
    schema: sluiceSchema,
    committed: `snap_${s}`,
    snapshot: `snap_${s}_${r}`,
    diff: `diff_${s}_${r}`,
    quarantine: `quar_${s}_${r}`,
  };
  for (const name of [tables.committed, tables.snapshot, tables.diff, tables.quarantine]) {
    if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) throw new Error(`table name too long: ${name}`);
  }
  return tables;
}

/** The warehouse adapter for a source type (the connector slug), or undefined when Sluice has none. */
export function getWarehouseAdapter(slug: string): WarehouseAdapter<unknown> | undefined {
  // Referenced at call time, not at module load, so the import cycle with the adapters is harmless.
  const adapters: Record<string, WarehouseAdapter<never>> = { postgres: postgresWarehouseAdapter };
  return Object.hasOwn(adapters, slug) ? (adapters[slug] as WarehouseAdapter<unknown>) : undefined;
}

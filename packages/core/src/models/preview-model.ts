// Trying model SQL before saving it: the first rows with their column types, and the columns alone for the
// mapper. Rows leave as plain JSON (bigint and numeric as strings, dates as ISO text) so every client — the
// browser, the REST API, the CLI — sees the same values.
import type { ColumnInfo } from "@sluice/connectors/kit/warehouse";
import type { ModelColumn, ModelRef } from "@sluice/contracts/mapper";
import { ModelQuerySchema } from "@sluice/contracts/sync-config";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { authorizeWarehouseQuery, withSourceWarehouse } from "./browse-warehouse";
import { modelNotFound } from "./model-view";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonRow = Record<string, JsonValue>;

export const MAX_MODEL_PREVIEW_ROWS = 100;

export const PreviewModelInput = z.object({
  sourceId: z.string().min(1),
  query: ModelQuerySchema,
  limit: z.number().int().min(1).max(MAX_MODEL_PREVIEW_ROWS).default(20),
});
export type PreviewModelInput = z.input<typeof PreviewModelInput>;

export interface ModelPreview {
  columns: ColumnInfo[];
  rows: JsonRow[];
  /** The model has more rows than the `limit` shown. */
  truncated: boolean;
  elapsedMs: number;
}

/** Runs the SQL read-only (the adapter's preview: a subquery with a statement timeout) and returns the first rows. */
export async function previewModel(ctx: WorkspaceContext, input: PreviewModelInput): Promise<ModelPreview> {
  authorizeWarehouseQuery(ctx);
  const { sourceId, query, limit } = parseInput(PreviewModelInput, input);
  const sample = await withSourceWarehouse(ctx, sourceId, (session) => session.preview(query, limit + 1));
  return {
    columns: sample.columns,
    rows: sample.rows.slice(0, limit).map(jsonRow),
    truncated: sample.rows.length > limit,
    elapsedMs: sample.elapsedMs,
  };
}

/** A model's query and source, by id, scoped to the workspace. */
export async function loadModelQuery(
  ctx: WorkspaceContext,
  modelId: string,
): Promise<{ sourceId: string; query: string; primaryKey: string[] }> {
  const model = await ctx.db.model.findFirst({
    where: { id: modelId, workspaceId: ctx.workspaceId },
    select: { sourceId: true, query: true, primaryKey: true },
  });
  if (!model) throw modelNotFound();
  return model;
}

/** The model's columns and types: given as they are, or described by the warehouse (the query runs with LIMIT 0). */
export async function describeModelColumns(ctx: WorkspaceContext, ref: ModelRef): Promise<ModelColumn[]> {
  if ("columns" in ref) {
    authorize(ctx, "model.read");
    return ref.columns;
  }
  authorizeWarehouseQuery(ctx);
  const { sourceId, query } = "modelId" in ref ? await loadModelQuery(ctx, ref.modelId) : ref;
  return withSourceWarehouse(ctx, sourceId, (session) => session.describeQuery(query));
}

/**
 * The model's first rows as the warehouse returns them (Dates, strings for bigint/numeric): what the run
 * engine maps, so a mapping preview casts exactly as a run would. `primaryKey` is known for saved models.
 */
export async function sampleModelRows(
  ctx: WorkspaceContext,
  ref: { modelId: string } | { sourceId: string; query: string },
  limit: number,
): Promise<{ columns: ColumnInfo[]; rows: Record<string, unknown>[]; primaryKey: string[] | null; elapsedMs: number }> {
  authorizeWarehouseQuery(ctx);
  const model = "modelId" in ref ? await loadModelQuery(ctx, ref.modelId) : { ...ref, primaryKey: null };
  const sample = await withSourceWarehouse(ctx, model.sourceId, (session) => session.preview(model.query, limit));
  return { ...sample, primaryKey: model.primaryKey };
}

/** A warehouse value as plain JSON: bigint → string, Date → ISO text, bytes → \x hex, NaN/Infinity → text. */
export function jsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (Array.isArray(value)) return value.map(jsonValue);
  // pg's interval (and other driver types) know how to print themselves as Postgres would.
  const printable = value as { toPostgres?: () => unknown };
  if (typeof printable.toPostgres === "function") return String(printable.toPostgres());
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
}

export function jsonRow(row: Record<string, unknown>): JsonRow {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v)]));
}

// The model editor's table picker: a source's schemas → tables → columns. Also the one way the control plane
// opens a source's warehouse (scoped to the workspace, decrypted settings, always closed again) and turns
// warehouse failures into AppErrors; the preview, the key check and the resync estimate go through it too.
import { type ColumnInfo, isWarehouseError, type WarehouseSession } from "@sluice/connectors/kit/warehouse";
import { can } from "@sluice/contracts/roles";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { AppError, isAppError } from "../errors";
import { openWarehouse } from "../runs/run-connections";
import { RunFailure } from "../runs/run-errors";
import { sourceNotFound } from "../sources/source-view";
import { parseInput } from "../validate-input";

const Identifier = z.string().trim().min(1).max(128);

export const BrowseWarehouseInput = z
  .object({ sourceId: z.string().min(1), schema: Identifier.optional(), table: Identifier.optional() })
  .refine((o) => o.table === undefined || o.schema !== undefined, { path: ["schema"], message: "name the table's schema" });
export type BrowseWarehouseInput = z.input<typeof BrowseWarehouseInput>;

export type WarehouseListing =
  | { level: "schemas"; schemas: string[] }
  | { level: "tables"; schema: string; tables: { name: string; kind: "table" | "view" }[] }
  | { level: "columns"; schema: string; table: string; columns: ColumnInfo[] };

/** No schema: the schemas; a schema: its tables and views; a schema and a table: its columns. */
export async function browseWarehouse(ctx: WorkspaceContext, input: BrowseWarehouseInput): Promise<WarehouseListing> {
  authorize(ctx, "model.read");
  const { sourceId, schema, table } = parseInput(BrowseWarehouseInput, input);
  return withSourceWarehouse(ctx, sourceId, async (session) => {
    if (schema === undefined) return { level: "schemas", schemas: await session.listSchemas() };
    if (table === undefined) {
      const tables = await session.listTables(schema);
      if (tables.length === 0 && !(await session.listSchemas()).includes(schema)) throw noSchema(schema);
      return { level: "tables", schema, tables };
    }
    const columns = await session.listColumns(schema, table);
    if (columns.length === 0 && !(await session.listTables(schema)).some((t) => t.name === table)) {
      throw new AppError(
        "NOT_FOUND",
        `There is no table or view "${table}" in schema "${schema}" (or this source cannot read it).`,
      );
    }
    return { level: "columns", schema, table, columns };
  });
}

function noSchema(schema: string): AppError {
  return new AppError("NOT_FOUND", `There is no schema "${schema}" (or this source cannot use it).`);
}

/**
 * Running SQL on a warehouse (previews, key checks, estimates) is an editor's step, like changing a model:
 * it costs warehouse time, and a query can read any table the source can.
 */
export function authorizeWarehouseQuery(ctx: WorkspaceContext): void {
  if (can(ctx.role, "model.write")) return;
  const who = ctx.actor.type === "apiKey" ? "This API key's role" : "Your role";
  throw new AppError("FORBIDDEN", `${who} (${ctx.role}) cannot run queries on the warehouse; that needs editor or above.`);
}

/** Opens the source's warehouse (NOT_FOUND unless it is this workspace's), runs `fn`, and always closes it. */
export async function withSourceWarehouse<T>(
  ctx: WorkspaceContext,
  sourceId: string,
  fn: (session: WarehouseSession) => Promise<T>,
): Promise<T> {
  const source = await ctx.db.source.findFirst({ where: { id: sourceId, workspaceId: ctx.workspaceId }, select: { name: true } });
  if (!source) throw sourceNotFound();
  let session: WarehouseSession;
  try {
    ({ session } = await openWarehouse(ctx, sourceId));
  } catch (error) {
    throw warehouseAppError(error, source.name);
  }
  try {
    return await fn(session);
  } catch (error) {
    throw warehouseAppError(error, source.name);
  } finally {
    await session.close();
  }
}

/**
 * Warehouse failures as the user should see them: bad model SQL and missing columns are the request's fault
 * (BAD_REQUEST, with the field to fix); an unreachable or misconfigured warehouse is PRECONDITION_FAILED.
 * Anything else (a bug) passes through and is reported as an internal error.
 */
export function warehouseAppError(error: unknown, sourceName: string): unknown {
  if (isAppError(error)) return error;
  if (error instanceof RunFailure) return new AppError("PRECONDITION_FAILED", sentence(error.message));
  if (!isWarehouseError(error)) return error;
  const message = sentence(error.message);
  switch (error.kind) {
    case "model":
      return new AppError("BAD_REQUEST", message, { query: [message] });
    case "model-columns":
      return new AppError("BAD_REQUEST", message, { primaryKey: [message] });
    case "connection":
      return new AppError("PRECONDITION_FAILED", `Could not reach warehouse "${sourceName}": ${message}`);
    case "warehouse":
      return new AppError("BAD_REQUEST", `Warehouse "${sourceName}" refused: ${message}`);
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

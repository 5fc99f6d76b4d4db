// Browsing the warehouse (schemas, tables, columns) and trying model SQL (preview, describe). Model SQL runs
// in a READ ONLY transaction with a statement timeout, as a subquery, so a preview can neither write nor hang.
import type pg from "pg";
import { type ColumnInfo, type PrimaryKeyCheck, WarehouseError } from "../../kit/warehouse";
import { columnTypes, ident, list, modelSubquery, type Sql, withTransaction } from "./sql";

export const PREVIEW_TIMEOUT_MS = 60_000;
export const MAX_PREVIEW_ROWS = 10_000;

export async function listSchemas(sql: Sql, hide: string[]): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `select nspname as name from pg_catalog.pg_namespace
     where nspname not like 'pg\\_%' and nspname <> 'information_schema' and not (nspname = any($1::text[]))
       and has_schema_privilege(oid, 'USAGE')
     order by 1`,
    [hide],
  );
  return rows.map((r) => r.name);
}

export async function listTables(sql: Sql, schema: string): Promise<{ name: string; kind: "table" | "view" }[]> {
  const { rows } = await sql.query<{ name: string; kind: "table" | "view" }>(
    `select c.relname as name, case when c.relkind in ('v', 'm') then 'view' else 'table' end as kind
     from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p', 'f', 'v', 'm') and not c.relispartition
     order by 1`,
    [schema],
  );
  return rows;
}

export async function listColumns(sql: Sql, schema: string, table: string): Promise<ColumnInfo[]> {
  return [...(await columnTypes(sql, schema, table))].map(([name, type]) => ({ name, type }));
}

/** Names and SQL types of a result's columns. */
async function fieldTypes(sql: Sql, fields: pg.FieldDef[]): Promise<ColumnInfo[]> {
  if (fields.length === 0) return [];
  const { rows } = await sql.query<{ type: string }>(
    `select pg_catalog.format_type(t.oid, nullif(t.mod, -1)) as type
     from unnest($1::oid[], $2::int[]) with ordinality as t(oid, mod, i) order by t.i`,
    [fields.map((f) => f.dataTypeID), fields.map((f) => f.dataTypeModifier)],
  );
  return fields.map((f, i) => ({ name: f.name, type: rows[i]?.type ?? "unknown" }));
}

const READ_ONLY = "begin transaction read only";

/** Columns of the model's result, without running it (LIMIT 0). Errors are the model's (caller wraps them). */
export async function describeModel(sql: Sql, query: string): Promise<ColumnInfo[]> {
  const { fields } = await sql.queryArrays(`select * from ${modelSubquery(query)} limit 0`);
  return fieldTypes(sql, fields);
}

export async function describeQuery(sql: Sql, query: string): Promise<ColumnInfo[]> {
  return withTransaction(
    sql,
    async () => {
      await sql.query(`set local statement_timeout = ${PREVIEW_TIMEOUT_MS}`);
      return describeModel(sql, query);
    },
    READ_ONLY,
  );
}

export async function preview(
  sql: Sql,
  query: string,
  limit: number,
): Promise<{ columns: ColumnInfo[]; rows: Record<string, unknown>[]; elapsedMs: number }> {
  const n = Math.max(0, Math.min(MAX_PREVIEW_ROWS, Math.floor(limit)));
  return withTransaction(
    sql,
    async () => {
      await sql.query(`set local statement_timeout = ${PREVIEW_TIMEOUT_MS}`);
      const started = performance.now();
      const result = await sql.queryArrays(`select * from ${modelSubquery(query)} limit $1`, [n]);
      const elapsedMs = Math.round(performance.now() - started);
      const columns = await fieldTypes(sql, result.fields);
      const rows = result.rows.map((values) => Object.fromEntries(columns.map((c, i) => [c.name, values[i]])));
      return { columns, rows, elapsedMs };
    },
    READ_ONLY,
  );
}

/** Counting a big model's keys takes longer than a preview; still bounded so a stuck check ends. */
const KEY_CHECK_TIMEOUT_MS = 300_000;

/** Nulls and duplicates of a candidate primary key, counted by the warehouse in one pass over the model. */
export async function checkPrimaryKey(sql: Sql, query: string, primaryKey: string[]): Promise<PrimaryKeyCheck> {
  return withTransaction(
    sql,
    async () => {
      await sql.query(`set local statement_timeout = ${KEY_CHECK_TIMEOUT_MS}`);
      const columns = new Set((await describeModel(sql, query)).map((c) => c.name));
      const missing = primaryKey.filter((k) => !columns.has(k));
      if (primaryKey.length === 0) throw new WarehouseError("model-columns", "choose at least one primary key column");
      if (missing.length > 0) {
        throw new WarehouseError(
          "model-columns",
          `the model has no column ${missing.map((m) => `"${m}"`).join(", ")} (it has ${[...columns].map((c) => `"${c}"`).join(", ")})`,
        );
      }
      const keys = list(primaryKey);
      const anyNull = primaryKey.map((k) => `${ident(k)} is null`).join(" or ");
      const started = performance.now();
      const { rows } = await sql.query<{ rows: string; null_keys: string; duplicate_keys: string; duplicate_rows: string }>(
        `with m as (select ${keys} from ${modelSubquery(query)}),
              d as (select ${keys}, count(*) as n from m where not (${anyNull}) group by ${keys} having count(*) > 1)
         select (select count(*) from m) as rows,
                (select count(*) from m where ${anyNull}) as null_keys,
                (select count(*) from d) as duplicate_keys,
                (select coalesce(sum(n), 0) from d) as duplicate_rows`,
      );
      const examples = await sql.query<Record<string, unknown>>(
        `select ${keys} from ${modelSubquery(query)} where not (${anyNull}) group by ${keys} having count(*) > 1 order by count(*) desc limit 5`,
      );
      const r = rows[0] ?? { rows: "0", null_keys: "0", duplicate_keys: "0", duplicate_rows: "0" };
      return {
        rows: Number(r.rows),
        nullKeys: Number(r.null_keys),
        duplicateKeys: Number(r.duplicate_keys),
        duplicateRows: Number(r.duplicate_rows),
        examples: examples.rows,
        elapsedMs: Math.round(performance.now() - started),
      };
    },
    READ_ONLY,
  );
}

/**
 * The model's row whose columns equal `key`, or null. Values are bound as parameters and typed by the columns
 * they are compared with, so `{ id: 42 }`, `{ id: "42" }` and an ISO timestamp all find their row.
 */
export async function readRowByKey(
  sql: Sql,
  query: string,
  key: Record<string, unknown>,
): Promise<Record<string, unknown> | null> {
  return withTransaction(
    sql,
    async () => {
      await sql.query(`set local statement_timeout = ${PREVIEW_TIMEOUT_MS}`);
      const names = Object.keys(key);
      const columns = new Set((await describeModel(sql, query)).map((c) => c.name));
      const missing = names.filter((n) => !columns.has(n));
      if (names.length === 0) throw new WarehouseError("model-columns", "give a value for each primary key column");
      if (missing.length > 0) {
        throw new WarehouseError("model-columns", `the model has no column ${missing.map((m) => `"${m}"`).join(", ")}`);
      }
      const where = names.map((n, i) => `m.${ident(n)} = $${i + 1}`).join(" and ");
      let result: { rows: unknown[][]; fields: pg.FieldDef[] };
      try {
        result = await sql.queryArrays(`select * from ${modelSubquery(query)} where ${where} limit 1`, Object.values(key));
      } catch (error) {
        // Class 22 (data exception): a value that does not parse as its column's type, e.g. "abc" for an integer.
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string" && code.startsWith("22")) {
          const message = (error as { message?: string }).message ?? String(error);
          throw new WarehouseError("model-columns", `a primary key value does not fit its column: ${message}`, { cause: error });
        }
        throw error;
      }
      const values = result.rows[0];
      if (!values) return null;
      return Object.fromEntries(result.fields.map((f, i) => [f.name, values[i]]));
    },
    READ_ONLY,
  );
}

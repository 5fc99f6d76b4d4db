// The PostgreSQL statements of the table destination. Identifiers are always quoted (pg.escapeIdentifier),
// values always bound parameters ($n), never pasted into the SQL.
//   upsert → INSERT … ON CONFLICT (key) DO UPDATE SET col = EXCLUDED.col
//   insert → INSERT … ON CONFLICT (key) DO NOTHING
//   update → UPDATE … FROM (VALUES …) WHERE key matches, RETURNING which rows matched
//   mirror → upsert, and DELETE … WHERE (key) IN (…) for removed rows
// https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT
import pg from "pg";
import type { PlannedRow } from "../../kit/table/records";
import type { InferredColumn, InferredKind, TableInfo } from "../../kit/table/types";
import { type Statement, type StatementResult, type TableDialect, valuesExcerpt } from "../../kit/table/writer";

/** The protocol's Bind message counts parameters in an Int16: at most 65535 per statement. */
export const PG_MAX_PARAMS = 65_535;
/** Values per statement, in bytes: well under the server's 1 GB message limit, and kind to memory. */
export const PG_MAX_STATEMENT_BYTES = 16 * 1024 * 1024;
const MAX_ROWS = 5_000;
const TARGET = '"__sluice_target"';
const VALUES = '"__sluice_values"';
const ORD = '"__sluice_ord"';

export const ident = (name: string): string => pg.escapeIdentifier(name);

export interface PgTableName {
  schema: string;
  table: string;
}

export const qualifiedName = (t: PgTableName): string => `${ident(t.schema)}.${ident(t.table)}`;

export function postgresDialect(
  t: PgTableName,
  info: TableInfo,
  keyColumns: readonly string[],
  classify: TableDialect["classify"],
): TableDialect {
  const table = qualifiedName(t);
  const baseType = (column: string) => info.columns.get(column)?.baseType ?? "text";
  const param = (column: string, value: unknown) => toParam(baseType(column), value);

  /** `(($1, $2), ($3, $4))`-style tuples for `count` rows of `width` placeholders, optionally cast. */
  const tuples = (count: number, columns: readonly string[], cast: boolean, extraFirst = false): string => {
    const out: string[] = [];
    let n = 1;
    for (let r = 0; r < count; r++) {
      const cells: string[] = [];
      if (extraFirst) cells.push(`$${n++}::int`);
      for (const c of columns) cells.push(cast ? `$${n++}::${baseType(c)}` : `$${n++}`);
      out.push(`(${cells.join(", ")})`);
    }
    return out.join(", ");
  };

  const build = (rows: PlannedRow[], text: (count: number) => string, values: unknown[]): Statement => {
    const shown = Math.min(rows.length, 2);
    const more = rows.length > shown ? ` -- ${rows.length} rows in all` : "";
    return { text: text(rows.length), values, display: `${text(shown)}${more}\n-- values: ${valuesExcerpt(rows)}` };
  };

  return {
    maxParams: PG_MAX_PARAMS,
    maxBytes: PG_MAX_STATEMENT_BYTES,
    maxRows: { write: MAX_ROWS, update: MAX_ROWS, delete: MAX_ROWS },
    // Deferred constraints are checked per statement, so a violation surfaces on the row's own statement
    // (where it can be isolated) instead of at COMMIT.
    begin: ["BEGIN", "SET CONSTRAINTS ALL IMMEDIATE"],
    commit: "COMMIT",
    rollback: "ROLLBACK",
    savepoint: (name) => `SAVEPOINT ${ident(name)}`,
    rollbackTo: (name) => `ROLLBACK TO SAVEPOINT ${ident(name)}`,
    release: (name) => `RELEASE SAVEPOINT ${ident(name)}`,

    write(rows, action) {
      const columns = (rows[0] as PlannedRow).columns;
      const rest = columns.filter((c) => !keyColumns.includes(c));
      const conflict =
        action === "insert" || rest.length === 0
          ? "DO NOTHING"
          : `DO UPDATE SET ${rest.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(", ")}`;
      const values = rows.flatMap((r) => r.values.map((v, i) => param(columns[i] as string, v)));
      return build(
        rows,
        (count) =>
          `INSERT INTO ${table} AS ${TARGET} (${columns.map(ident).join(", ")}) VALUES ${tuples(count, columns, false)} ON CONFLICT (${keyColumns.map(ident).join(", ")}) ${conflict}`,
        values,
      );
    },

    update(rows) {
      const columns = (rows[0] as PlannedRow).columns;
      const rest = columns.filter((c) => !keyColumns.includes(c));
      // Nothing but the key mapped: touch the row so it still reports as matched.
      const set = (rest.length ? rest : keyColumns.slice(0, 1)).map((c) => `${ident(c)} = ${VALUES}.${ident(c)}`).join(", ");
      const match = keyColumns.map((k) => `${TARGET}.${ident(k)} = ${VALUES}.${ident(k)}`).join(" AND ");
      const values = rows.flatMap((r, ord) => [ord, ...r.values.map((v, i) => param(columns[i] as string, v))]);
      // VALUES columns are cast to the column's type without modifiers (varchar, not varchar(20)): an explicit
      // cast would silently cut a too-long value, while the assignment to the column rejects it.
      return build(
        rows,
        (count) =>
          `UPDATE ${table} AS ${TARGET} SET ${set} FROM (VALUES ${tuples(count, columns, true, true)}) AS ${VALUES} (${[ORD, ...columns.map(ident)].join(", ")}) WHERE ${match} RETURNING ${VALUES}.${ORD}`,
        values,
      );
    },

    matched(result: StatementResult, rows) {
      const hit = new Set(result.rows.map((r) => Number(r.__sluice_ord)));
      return rows.map((_, i) => hit.has(i));
    },

    remove(rows) {
      const values = rows.flatMap((r) => r.key.map((v, i) => param(keyColumns[i] as string, v)));
      const target = keyColumns.length === 1 ? ident(keyColumns[0] as string) : `(${keyColumns.map(ident).join(", ")})`;
      const list = (count: number) =>
        keyColumns.length === 1
          ? Array.from({ length: count }, (_, r) => `$${r + 1}::${baseType(keyColumns[0] as string)}`).join(", ")
          : tuples(count, keyColumns, true);
      return build(rows, (count) => `DELETE FROM ${table} WHERE ${target} IN (${list(count)})`, values);
    },

    classify,
  };
}

/**
 * A value as a parameter for a column of `type`. JSON columns get the value as JSON text (a string becomes a
 * JSON string); objects and arrays elsewhere become JSON text too, except arrays for array columns, which
 * pg sends as PostgreSQL arrays. Everything else goes as pg sends it (numbers, booleans, strings, dates).
 */
export function toParam(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === "json" || type === "jsonb") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return type.endsWith("[]") ? value : JSON.stringify(value);
  if (typeof value === "object" && !(value instanceof Date) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

const TYPES: Record<InferredKind, string> = {
  boolean: "boolean",
  integer: "bigint",
  number: "double precision",
  date: "date",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  json: "jsonb",
  text: "text",
};

export function createTableSql(t: PgTableName, columns: readonly InferredColumn[]): string {
  const defs = columns.map((c) => `${ident(c.name)} ${TYPES[c.kind]}${c.key ? " NOT NULL" : ""}`);
  const keys = columns.filter((c) => c.key).map((c) => ident(c.name));
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(t)} (${[...defs, `PRIMARY KEY (${keys.join(", ")})`].join(", ")})`;
}

export const FIND_TABLE_SQL = `select c.oid::int8 as oid, c.relkind as kind
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = $1 and c.relname = $2`;

export const COLUMNS_SQL = `select a.attname as name,
    pg_catalog.format_type(a.atttypid, a.atttypmod) as sql_type,
    pg_catalog.format_type(a.atttypid, null) as base_type,
    coalesce(bt.typname, t.typname)::text as type_name,
    coalesce(bt.typcategory, t.typcategory)::text as category,
    a.attnotnull as not_null,
    (a.atthasdef or a.attidentity <> '') as has_default,
    a.attgenerated <> '' as generated
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_type t on t.oid = a.atttypid
  left join pg_catalog.pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
  where a.attrelid = $1::int8::oid and a.attnum > 0 and not a.attisdropped
  order by a.attnum`;

// Only indexes ON CONFLICT can use as arbiters: unique, valid, immediate (not deferrable), without a
// predicate or expressions. https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT
export const UNIQUE_KEYS_SQL = `select array(
    select a.attname::text
    from unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
    where k.ord <= i.indnkeyatts order by k.ord
  )::text[] as columns
  from pg_catalog.pg_index i
  where i.indrelid = $1::int8::oid and i.indisunique and i.indisvalid and i.indimmediate
    and i.indpred is null and i.indexprs is null`;

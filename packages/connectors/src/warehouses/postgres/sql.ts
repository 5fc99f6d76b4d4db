// Small SQL building blocks shared by the snapshot, diff, keyset and commit modules. Identifiers are always
// quoted (schema, table and column names come from users); values are always parameters.
import pg from "pg";
import { type RunTables, WarehouseError } from "../../kit/warehouse";

/** Runs one statement with the extended protocol, so a string can never smuggle in a second statement. */
export interface Sql {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Rows as arrays; `types` overrides the session's value parsers for this query. */
  queryArrays(
    text: string,
    values?: unknown[],
    types?: pg.CustomTypesConfig,
  ): Promise<{ rows: unknown[][]; fields: pg.FieldDef[] }>;
}

export function sqlFor(client: pg.Client): Sql {
  return {
    query: <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => client.query<R>(extended({ text, values })),
    queryArrays: async (text: string, values: unknown[] = [], types?: pg.CustomTypesConfig) => {
      const result = await client.query<unknown[]>(extended({ text, values, rowMode: "array", ...(types ? { types } : {}) }));
      return { rows: result.rows, fields: result.fields };
    },
  };
}

function extended<T extends { text: string }>(config: T): T {
  // pg's types lack `queryMode`; "extended" forces Parse/Bind/Execute even without parameters.
  return Object.assign(config, { queryMode: "extended" });
}

export const HASH = "__sluice_hash";
export const PREV_HASH = "__sluice_prev_hash";
export const OP = "__sluice_op";
export const STATUS = "__sluice_status";
export const REASON = "__sluice_reason";
export const ROWS = "__sluice_rows";

export const ident = (name: string): string => pg.escapeIdentifier(name);
export const literal = (value: string): string => pg.escapeLiteral(value);
export const qualified = (t: RunTables, name: string): string => `${ident(t.schema)}.${ident(name)}`;

/** `a."x", a."y"` */
export const list = (names: string[], alias?: string): string =>
  names.map((n) => (alias ? `${alias}.${ident(n)}` : ident(n))).join(", ");

/** `a."x" = b."x" AND a."y" = b."y"` */
export const keyMatch = (pk: string[], a: string, b: string): string =>
  pk.map((n) => `${a}.${ident(n)} = ${b}.${ident(n)}`).join(" AND ");

/** Mapped columns that are not part of the primary key, distinct, in the given order. */
export function valueColumns(primaryKey: string[], columns: string[]): string[] {
  const pk = new Set(primaryKey);
  return [...new Set(columns)].filter((c) => !pk.has(c));
}

export function checkNames(primaryKey: string[], columns: string[]): void {
  if (primaryKey.length === 0) throw new WarehouseError("model-columns", "the model has no primary key column");
  if (new Set(primaryKey).size !== primaryKey.length)
    throw new WarehouseError("model-columns", `the primary key names a column twice: ${primaryKey.join(", ")}`);
  for (const name of [...primaryKey, ...columns]) {
    if (name.length === 0) throw new WarehouseError("model-columns", "a column name is empty");
    if (name.startsWith("__sluice_"))
      throw new WarehouseError("model-columns", `column "${name}": names starting with __sluice_ are reserved by Sluice`);
  }
}

export async function tableExists(sql: Sql, schema: string, name: string): Promise<boolean> {
  const { rows } = await sql.query(
    `select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2`,
    [schema, name],
  );
  return rows.length > 0;
}

/** Column name → SQL type (format_type, safe to paste into a cast), in column order. Empty when the table is absent. */
export async function columnTypes(sql: Sql, schema: string, name: string): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ name: string; type: string }>(
    `select a.attname as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as type
     from pg_catalog.pg_attribute a
     join pg_catalog.pg_class c on c.oid = a.attrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
     order by a.attnum`,
    [schema, name],
  );
  return new Map(rows.map((r) => [r.name, r.type]));
}

/**
 * Drops run relations that exist, whatever they are: a first run's diff is a view over its snapshot (see
 * diff-sql.ts), so views go first and tables after, each with the statement its kind needs.
 */
export async function dropRelations(sql: Sql, schema: string, names: string[]): Promise<void> {
  const { rows } = await sql.query<{ name: string; kind: string }>(
    `select c.relname as name, c.relkind as kind from pg_catalog.pg_class c
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = any($2::text[])`,
    [schema, names],
  );
  const views = rows.filter((r) => r.kind === "v").map((r) => `${ident(schema)}.${ident(r.name)}`);
  const tables = rows.filter((r) => r.kind !== "v").map((r) => `${ident(schema)}.${ident(r.name)}`);
  if (views.length > 0) await sql.query(`drop view if exists ${views.join(", ")}`);
  if (tables.length > 0) await sql.query(`drop table if exists ${tables.join(", ")}`);
}

/** Whether a run relation is a view (a first run's diff). */
export async function isView(sql: Sql, schema: string, name: string): Promise<boolean> {
  const { rows } = await sql.query(
    `select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2 and c.relkind = 'v'`,
    [schema, name],
  );
  return rows.length > 0;
}

/** Types of the given columns of a run table, or a clear error naming what is missing. */
export async function requireColumns(sql: Sql, t: RunTables, table: string, names: string[]): Promise<string[]> {
  return pickColumns(await columnTypes(sql, t.schema, table), t, table, names);
}

/** The types of `names` among a table's columns (see columnTypes); throws naming the first one missing. */
export function pickColumns(types: Map<string, string>, t: RunTables, table: string, names: string[]): string[] {
  if (types.size === 0) throw new WarehouseError("warehouse", `table "${t.schema}"."${table}" does not exist`);
  return names.map((n) => {
    const type = types.get(n);
    if (type === undefined)
      throw new WarehouseError(
        "warehouse",
        `table "${t.schema}"."${table}" has no column "${n}" (it was built for other columns)`,
      );
    return type;
  });
}

export async function withTransaction<T>(sql: Sql, fn: () => Promise<T>, begin = "begin"): Promise<T> {
  await sql.query(begin);
  try {
    const result = await fn();
    await sql.query("commit");
    return result;
  } catch (error) {
    await sql.query("rollback").catch(() => {});
    throw error;
  }
}

/**
 * Lets the planner use parallel workers for the statements of the current transaction that build a table from
 * a scan (the snapshot, the diff). Its default costs keep a plain `create table as select` serial, but that
 * statement spends most of its time computing each row's hash text, which workers share; the server's own
 * limits (max_parallel_workers_per_gather, max_worker_processes) still decide how many, and a query that is
 * not parallel-safe simply stays serial. Measured at 1M rows on 2 cores: 4.0 s → 1.8 s.
 */
export async function preferParallelScans(sql: Sql): Promise<void> {
  await sql.query("set local parallel_setup_cost = 0");
  await sql.query("set local parallel_tuple_cost = 0");
}

/** Creates the Sluice schema unless it exists (without needing CREATE on the database when it does). */
export async function ensureSchema(sql: Sql, schema: string): Promise<void> {
  const { rows } = await sql.query("select 1 from pg_catalog.pg_namespace where nspname = $1", [schema]);
  if (rows.length > 0) return;
  try {
    await sql.query(`create schema if not exists ${ident(schema)}`);
  } catch (error) {
    // Another session created it meanwhile.
    if ((error as { code?: string }).code !== "23505") throw error;
  }
}

/** Serializes the run's writers per sync (commit, cleanup) even if two workers ever overlapped. */
export async function lockSync(sql: Sql, t: RunTables): Promise<void> {
  await sql.query("select pg_advisory_xact_lock(hashtext($1))", [`sluice:${t.schema}.${t.committed}`]);
}

/** The model as a subquery: trailing semicolons dropped, newlines keep a trailing `-- comment` inside. */
export function modelSubquery(query: string, alias = "m"): string {
  const body = query.trim().replace(/(;\s*)+$/, "");
  if (body.length === 0) throw new WarehouseError("model", "model SQL is invalid: the query is empty");
  return `(\n${body}\n) as ${alias}`;
}

// Connections to the destination PostgreSQL: one small pool per config (kit/table/pool.ts), sockets that refuse
// private addresses unless allowed (kit/table/guarded-socket.ts), server-side timeouts so a stuck lock cannot hold a
// run forever, and the target table's description, cached per pool for a minute.
import pg from "pg";
import type { DestinationFieldType } from "../../kit/contract";
import { GuardedSocket } from "../../kit/table/guarded-socket";
import { configKey, PoolCache, type TableInfoCache } from "../../kit/table/pool";
import type { TableColumn, TableInfo } from "../../kit/table/types";
import { TableWriteError } from "../../kit/table/writer";
import type { PostgresTableConfig } from "./config";
import { COLUMNS_SQL, FIND_TABLE_SQL, type PgTableName, UNIQUE_KEYS_SQL } from "./sql";

export const PG_CONNECT_TIMEOUT_MS = 10_000;
/** A statement running longer is cancelled (57014) and the batch retried: 1000 rows never need this long. */
export const PG_STATEMENT_TIMEOUT_MS = 120_000;
const PG_LOCK_TIMEOUT_MS = 30_000;
const POOL_MAX = 4;

export interface PgPoolEntry extends TableInfoCache {
  pool: pg.Pool;
}

const pools = new PoolCache<PgPoolEntry>((entry) => entry.pool.end());

/** Closes every pooled connection (worker shutdown, end of a test file). */
export function closePostgresTablePools(): Promise<void> {
  return pools.closeAll();
}

export function openPostgresTablePools(): number {
  return pools.size;
}

export function clientConfig(c: PostgresTableConfig, allowPrivate: boolean): pg.ClientConfig {
  const common: pg.ClientConfig = {
    stream: () => new GuardedSocket(allowPrivate),
    ssl: c.sslMode === "disable" ? false : { rejectUnauthorized: c.sslMode === "verify-full" },
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    statement_timeout: PG_STATEMENT_TIMEOUT_MS,
    lock_timeout: PG_LOCK_TIMEOUT_MS,
    application_name: "sluice",
    keepAlive: true,
  };
  // An sslmode in the connection string wins over sslMode, as libpq users expect.
  if (c.connectionString) return { ...common, connectionString: c.connectionString };
  return { ...common, host: c.host, port: c.port, database: c.database, user: c.user, password: c.password ?? "" };
}

/** Runs `fn` on a pooled client; a client whose call failed is dropped rather than reused. */
export async function withPostgresClient<T>(
  config: PostgresTableConfig,
  allowPrivate: boolean,
  fn: (client: pg.PoolClient, entry: PgPoolEntry) => Promise<T>,
): Promise<T> {
  const key = configKey(config, String(allowPrivate));
  return pools.use(
    key,
    () => createEntry(config, allowPrivate),
    async (entry) => {
      const client = await entry.pool.connect();
      // A checked-out client whose server goes away emits "error" (the pool only listens on idle ones); the
      // query in flight rejects as well, which is where the failure is handled.
      const ignore = () => {};
      client.on("error", ignore);
      let failed = false;
      try {
        return await fn(client, entry);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        client.off("error", ignore);
        client.release(failed);
      }
    },
  );
}

function createEntry(config: PostgresTableConfig, allowPrivate: boolean): PgPoolEntry {
  const pool = new pg.Pool({
    ...clientConfig(config, allowPrivate),
    max: POOL_MAX,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  // An idle client whose server goes away emits "error"; without a listener that would crash the process.
  pool.on("error", () => {});
  return { pool };
}

/** A single client outside the pools (test connection, list fields): connect, use, close. */
export async function withSingleClient<T>(
  config: PostgresTableConfig,
  allowPrivate: boolean,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(clientConfig(config, allowPrivate));
  client.on("error", () => {});
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

type Queryable = Pick<pg.ClientBase, "query">;

/** The table's columns and unique keys; undefined when there is no such table. */
export async function readTableInfo(client: Queryable, t: PgTableName): Promise<TableInfo | undefined> {
  const found = await client.query<{ oid: string; kind: string }>(FIND_TABLE_SQL, [t.schema, t.table]);
  const row = found.rows[0];
  if (!row) return undefined;
  if (row.kind !== "r" && row.kind !== "p") {
    const what =
      { v: "a view", m: "a materialized view", f: "a foreign table", S: "a sequence", i: "an index" }[row.kind] ?? "not a table";
    throw new TableWriteError("fatal", `${t.schema}.${t.table} is ${what}; Sluice writes to tables — name a table`);
  }
  const columns = await client.query<{
    name: string;
    sql_type: string;
    base_type: string;
    type_name: string;
    category: string;
    not_null: boolean;
    has_default: boolean;
    generated: boolean;
  }>(COLUMNS_SQL, [row.oid]);
  const keys = await client.query<{ columns: string[] }>(UNIQUE_KEYS_SQL, [row.oid]);
  return {
    columns: new Map(
      columns.rows.map((c): [string, TableColumn] => [
        c.name,
        {
          name: c.name,
          sqlType: c.sql_type,
          baseType: c.base_type,
          fieldType: fieldType(c.type_name, c.category),
          notNull: c.not_null,
          hasDefault: c.has_default,
          generated: c.generated,
        },
      ]),
    ),
    uniqueKeys: keys.rows.map((k) => k.columns),
  };
}

/** Our field type for a PostgreSQL type (domains by their base type). */
function fieldType(typeName: string, category: string): DestinationFieldType {
  if (category === "A") return "json";
  switch (typeName) {
    case "bool":
      return "boolean";
    case "int2":
    case "int4":
    case "int8":
      return "integer";
    case "numeric":
    case "float4":
    case "float8":
    case "money":
      return "number";
    case "date":
      return "date";
    case "timestamp":
    case "timestamptz":
      return "datetime";
    case "json":
    case "jsonb":
      return "json";
  }
  return "string";
}

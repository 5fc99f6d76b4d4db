// Connections to the destination MySQL / MariaDB: one small pool per config (kit/table/pool.ts), sockets
// that refuse private addresses unless allowed, and a session set up for safe writes:
//   - STRICT_ALL_TABLES added to sql_mode, so NULL in a NOT NULL column, a too-long or invalid value is an
//     error (a rejected row) rather than a warning and a silently coerced value;
//   - time_zone UTC, so date-times are written as sent;
//   - no LOCAL INFILE (a hostile server could otherwise ask the client for a local file).
// https://dev.mysql.com/doc/refman/8.4/en/sql-mode.html#sql-mode-strict
import mysql from "mysql2/promise";
import type { DestinationFieldType } from "../../kit/contract";
import { GuardedSocket } from "../../kit/table/guarded-socket";
import { configKey, PoolCache, type TableInfoCache } from "../../kit/table/pool";
import type { TableColumn, TableInfo } from "../../kit/table/types";
import { TableWriteError } from "../../kit/table/writer";
import type { MysqlTableConfig } from "./config";
import { COLUMNS_SQL, FIND_TABLE_SQL, type MysqlTableName, statementBytes, UNIQUE_KEYS_SQL } from "./sql";

export const MYSQL_CONNECT_TIMEOUT_MS = 10_000;
const LOCK_WAIT_TIMEOUT_S = 30;
const POOL_MAX = 4;

export interface MysqlPoolEntry extends TableInfoCache {
  pool: mysql.Pool;
  /** Connections whose session is set up (sql_mode, time zone). */
  ready: WeakSet<object>;
  /** Bytes of values one statement may carry (from the server's max_allowed_packet). */
  maxBytes?: number;
}

const pools = new PoolCache<MysqlPoolEntry>((entry) => entry.pool.end());

/** Closes every pooled connection (worker shutdown, end of a test file). */
export function closeMysqlTablePools(): Promise<void> {
  return pools.closeAll();
}

export function openMysqlTablePools(): number {
  return pools.size;
}

export function connectionOptions(c: MysqlTableConfig, allowPrivate: boolean): mysql.ConnectionOptions {
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    password: c.password ?? "",
    database: c.database,
    ssl:
      c.ssl === "disable" ? undefined : { rejectUnauthorized: c.ssl === "verify-full", verifyIdentity: c.ssl === "verify-full" },
    stream: () => {
      const socket = new GuardedSocket(allowPrivate);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      return socket.connect(c.port, c.host);
    },
    connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
    timezone: "Z",
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: false,
    flags: ["-LOCAL_FILES", "-MULTI_STATEMENTS"],
    // Each distinct statement shape is prepared once per connection; older ones are closed on the server.
    maxPreparedStatements: 64,
  };
}

/** Runs `fn` on a pooled connection; a connection whose call failed is destroyed rather than reused. */
export async function withMysqlConnection<T>(
  config: MysqlTableConfig,
  allowPrivate: boolean,
  fn: (connection: mysql.PoolConnection, entry: MysqlPoolEntry) => Promise<T>,
): Promise<T> {
  const key = configKey(config, String(allowPrivate));
  return pools.use(
    key,
    () => createEntry(config, allowPrivate),
    async (entry) => {
      const connection = await entry.pool.getConnection();
      let failed = false;
      try {
        if (!entry.ready.has(connection.connection)) {
          entry.maxBytes = await setUpSession(connection);
          entry.ready.add(connection.connection);
        }
        return await fn(connection, entry);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        if (failed) connection.destroy();
        else connection.release();
      }
    },
  );
}

function createEntry(config: MysqlTableConfig, allowPrivate: boolean): MysqlPoolEntry {
  const pool = mysql.createPool({
    ...connectionOptions(config, allowPrivate),
    connectionLimit: POOL_MAX,
    // Idle connections stay until the whole pool is closed by the cache (kit/table/pool.ts): no timer of its own.
    maxIdle: POOL_MAX,
    waitForConnections: true,
  });
  // An idle connection whose server goes away emits "error"; without a listener that would crash the process.
  pool.pool.on("connection", (connection) => connection.on("error", () => {}));
  return { pool, ready: new WeakSet() };
}

/** Sets the session up for writes (see the header) and returns the statement byte budget. */
export async function setUpSession(connection: mysql.Connection): Promise<number> {
  await connection.query(
    `SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES'), time_zone = '+00:00', innodb_lock_wait_timeout = ${LOCK_WAIT_TIMEOUT_S}`,
  );
  const [rows] = await connection.query<mysql.RowDataPacket[]>("SELECT @@max_allowed_packet AS packet");
  return statementBytes(Number(rows[0]?.packet ?? 4 * 1024 * 1024));
}

/** A single connection outside the pools (test connection, list fields): connect, use, close. */
export async function withSingleConnection<T>(
  config: MysqlTableConfig,
  allowPrivate: boolean,
  fn: (connection: mysql.Connection) => Promise<T>,
): Promise<T> {
  const connection = await mysql.createConnection(connectionOptions(config, allowPrivate));
  connection.on("error", () => {});
  try {
    return await fn(connection);
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

type Queryable = Pick<mysql.Connection, "query">;

/** The table's columns and unique keys; undefined when there is no such table. */
export async function readTableInfo(connection: Queryable, t: MysqlTableName): Promise<TableInfo | undefined> {
  const [found] = await connection.query<mysql.RowDataPacket[]>(FIND_TABLE_SQL, [t.database, t.table]);
  const kind = found[0]?.kind as string | undefined;
  if (kind === undefined) return undefined;
  if (kind !== "BASE TABLE") {
    throw new TableWriteError(
      "fatal",
      `${t.database}.${t.table} is a ${kind.toLowerCase()}; Sluice writes to tables — name a table`,
    );
  }
  const [columns] = await connection.query<mysql.RowDataPacket[]>(COLUMNS_SQL, [t.database, t.table]);
  const [indexes] = await connection.query<mysql.RowDataPacket[]>(UNIQUE_KEYS_SQL, [t.database, t.table]);
  const uniqueKeys = new Map<string, (string | null)[]>();
  for (const row of indexes) {
    const list = uniqueKeys.get(row.indexName) ?? [];
    list.push(row.columnName ?? null); // null: a functional key part (MySQL 8), which no row value can match
    uniqueKeys.set(row.indexName, list);
  }
  return {
    columns: new Map(
      columns.map((c): [string, TableColumn] => {
        const extra = String(c.extra ?? "");
        return [
          c.name,
          {
            name: c.name,
            sqlType: c.sqlType,
            baseType: String(c.dataType).toLowerCase(),
            fieldType: fieldType(String(c.dataType).toLowerCase(), String(c.sqlType).toLowerCase()),
            notNull: c.nullable === "NO",
            hasDefault: c.dflt !== null || /auto_increment/i.test(extra),
            // MySQL marks expression defaults DEFAULT_GENERATED: those are ordinary, writable columns.
            generated: /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(extra),
          },
        ];
      }),
    ),
    uniqueKeys: [...uniqueKeys.values()].filter((k): k is string[] => k.every((c) => c !== null)),
  };
}

function fieldType(dataType: string, columnType: string): DestinationFieldType {
  if (columnType.startsWith("tinyint(1)") || dataType === "bool" || dataType === "boolean") return "boolean";
  switch (dataType) {
    case "tinyint":
    case "smallint":
    case "mediumint":
    case "int":
    case "integer":
    case "bigint":
    case "year":
      return "integer";
    case "decimal":
    case "float":
    case "double":
      return "number";
    case "date":
      return "date";
    case "datetime":
    case "timestamp":
      return "datetime";
    case "json":
      return "json";
  }
  return "string";
}

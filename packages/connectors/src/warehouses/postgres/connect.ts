// Opening a pg client from a PostgresConfig, with the timeouts a "test connection" needs.
import pg from "pg";
import type { PostgresConfig } from "./config";

export const CONNECT_TIMEOUT_MS = 5_000;
export const QUERY_TIMEOUT_MS = 10_000;

export function clientConfig(c: PostgresConfig): pg.ClientConfig {
  const timeouts = { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, application_name: "sluice" };
  if (c.connectionString) return { connectionString: c.connectionString, ...timeouts };
  return {
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    password: c.password ?? "",
    ssl: c.sslMode === "disable" ? false : { rejectUnauthorized: c.sslMode === "verify-full" },
    ...timeouts,
  };
}

export async function connect(c: PostgresConfig): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(c));
  // An idle client whose server goes away emits "error"; without a listener that would crash the process.
  client.on("error", () => {});
  await client.connect();
  return client;
}

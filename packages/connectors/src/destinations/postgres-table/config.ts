// PostgreSQL table destination settings: the connection (a connection string, or host/port/database/user/
// password, as the Postgres warehouse takes them), the target schema and table, the key columns, and whether
// to create the table. One flat object, so forms and field errors stay simple.
import { z } from "zod";
import { batchSizeSchema, createTableSchema, keyColumnsSchema, sqlName } from "../../kit/table/config";
import { postgresConnectionFields, requireConnectionFields } from "../../warehouses/postgres/config";

// libpq options that name files on the machine running Sluice: a stored connection string must not make the
// server read its own files.
const FILE_PARAMS = ["sslcert", "sslkey", "sslrootcert", "sslcrl", "passfile", "service"];

export const postgresTableConfigSchema = z
  .object({
    ...postgresConnectionFields("Database holding the table"),
    schema: sqlName("schema", 63).default("public").describe("Schema of the target table"),
    table: sqlName("table name", 63).describe("Table the rows are written to"),
    keyColumns: keyColumnsSchema,
    createTable: createTableSchema,
    batchSize: batchSizeSchema,
  })
  .superRefine(
    (c, ctx) => {
      if (c.connectionString !== undefined) {
        const params = safeUrl(c.connectionString)?.searchParams;
        const banned = FILE_PARAMS.filter((p) => params?.has(p));
        if (banned.length > 0) {
          ctx.addIssue({
            code: "custom",
            path: ["connectionString"],
            message: `Remove ${banned.join(", ")}: options naming files on the Sluice server are not supported`,
          });
        }
        return;
      }
      requireConnectionFields(c, ctx);
    },
    // Run even when other fields are invalid, so a form shows every missing field at once.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

export type PostgresTableConfig = z.infer<typeof postgresTableConfigSchema>;
export const POSTGRES_TABLE_SECRET_FIELDS = ["password", "connectionString"] as const;

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Host, port, database and user for messages, from whichever form the config uses — never the password. */
export function describePostgresTarget(c: PostgresTableConfig): PostgresTarget {
  if (c.connectionString) {
    const u = safeUrl(c.connectionString);
    if (!u) return { host: "(unparseable connection string)", port: 5432, database: "?", user: "?" };
    const user = decodeURIComponent(u.username) || "postgres";
    return {
      host: u.searchParams.get("host") || u.hostname || "localhost",
      port: Number(u.port) || 5432,
      database: decodeURIComponent(u.pathname.slice(1)) || user,
      user,
    };
  }
  return { host: c.host ?? "", port: c.port, database: c.database ?? "", user: c.user ?? "" };
}

/** postgresql://user@host:port/database — what the debugger shows as the "URL" of each statement. */
export function redactedPostgresUrl(c: PostgresTableConfig): string {
  const t = describePostgresTarget(c);
  const host = t.host.includes(":") ? `[${t.host}]` : t.host;
  return `postgresql://${encodeURIComponent(t.user)}@${host}:${t.port}/${encodeURIComponent(t.database)}`;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

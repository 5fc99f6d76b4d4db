// MySQL / MariaDB table destination settings: the connection, the target table (in the connection's database),
// the key columns, and whether to create the table. One flat object, so forms and field errors stay simple.
import { z } from "zod";
import { batchSizeSchema, createTableSchema, keyColumnsSchema, sqlName } from "../../kit/table/config";

export const MYSQL_SSL_MODES = ["disable", "require", "verify-full"] as const;

export const mysqlTableConfigSchema = z.object({
  host: z.string().trim().min(1, "Enter the host").max(255).describe("Hostname or IP address of the server"),
  port: z.coerce.number().int().min(1).max(65535).default(3306).describe("TCP port the server listens on"),
  database: sqlName("database name", 64).describe("Database (schema) holding the table"),
  user: z.string().trim().min(1, "Enter the user name").max(80).describe("User Sluice connects as"),
  password: z.string().max(1024).optional().describe("Password of that user; stored encrypted, never shown again"),
  ssl: z
    .enum(MYSQL_SSL_MODES)
    .default("require")
    .describe("disable: plain TCP (local only); require: encrypted; verify-full: encrypted, certificate and host name checked"),
  table: sqlName("table name", 64).describe("Table the rows are written to"),
  keyColumns: keyColumnsSchema,
  createTable: createTableSchema,
  batchSize: batchSizeSchema,
});

export type MysqlTableConfig = z.infer<typeof mysqlTableConfigSchema>;
export const MYSQL_TABLE_SECRET_FIELDS = ["password"] as const;

/** mysql://user@host:port/database — what the debugger shows as the "URL" of each statement (no password). */
export function redactedMysqlUrl(c: MysqlTableConfig): string {
  const host = c.host.includes(":") ? `[${c.host}]` : c.host;
  return `mysql://${encodeURIComponent(c.user)}@${host}:${c.port}/${encodeURIComponent(c.database)}`;
}

// PostgreSQL source settings: either host/port/database/user/password, or one connection string (the
// form used by YAML config and by the demo). One flat object, so forms and field errors stay simple.
import { z } from "zod";

export const SSL_MODES = ["disable", "require", "verify-full"] as const;

/**
 * The connection fields the Postgres source and the postgres-table destination share: a connection string, or
 * host/port/database/user/password; `database` describes what that database holds for the connector.
 */
export function postgresConnectionFields(databaseDescription: string) {
  return {
    connectionString: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, "Must start with postgresql://")
      .optional()
      .describe("Full connection URL, postgresql://user:password@host:5432/database. Use this or the fields below."),
    host: z.string().trim().min(1, "Enter the host").max(255).optional().describe("Hostname or IP address of the server"),
    port: z.coerce.number().int().min(1).max(65535).default(5432).describe("TCP port the server listens on"),
    database: z.string().trim().min(1, "Enter the database name").max(63).optional().describe(databaseDescription),
    user: z.string().trim().min(1, "Enter the user name").max(63).optional().describe("Role Sluice connects as"),
    password: z.string().max(1024).optional().describe("Password of that role; stored encrypted, never shown again"),
    sslMode: z
      .enum(SSL_MODES)
      .default("require")
      .describe("disable: plain TCP (local only); require: encrypted; verify-full: encrypted and certificate checked"),
  };
}

/** Without a connection string, host, database and user are required: one issue per missing field. */
export function requireConnectionFields(c: { host?: string; database?: string; user?: string }, ctx: z.RefinementCtx): void {
  for (const key of ["host", "database", "user"] as const) {
    if (c[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: "Required (or give a connection string)" });
  }
}

export const postgresConfigSchema = z
  .object({
    ...postgresConnectionFields("Database to read models from"),
    sluiceSchema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "Use lowercase letters, digits and underscores")
      .default("sluice")
      .describe("Schema where Sluice keeps its snapshots and diffs; created if missing"),
  })
  .superRefine(
    (c, ctx) => {
      if (c.connectionString === undefined) requireConnectionFields(c, ctx);
    },
    // Run even when other fields are invalid, so a form shows every missing field at once.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

export type PostgresConfig = z.infer<typeof postgresConfigSchema>;
export const POSTGRES_SECRET_FIELDS = ["password", "connectionString"] as const;

/** Host, port, database and user for messages, read from whichever form the config uses — never the password. */
export function describeTarget(c: PostgresConfig): { host: string; port: number; database: string; user: string } {
  if (c.connectionString) {
    try {
      const u = new URL(c.connectionString);
      return {
        host: u.hostname || "localhost",
        port: Number(u.port) || 5432,
        database: decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || "postgres",
        user: decodeURIComponent(u.username) || "(default user)",
      };
    } catch {
      return { host: "(unparseable connection string)", port: 5432, database: "?", user: "?" };
    }
  }
  return { host: c.host ?? "", port: c.port, database: c.database ?? "", user: c.user ?? "" };
}

// The least-privileged role a PostgreSQL source needs, as a SQL script an admin runs once: log in, read the
// schemas models come from (today and tables created later), and own one schema for Sluice's snapshots and
// diffs. Pure and dependency-free (zod only) so the setup wizard renders it live in the browser.
// Privileges: https://www.postgresql.org/docs/current/ddl-priv.html
// Default privileges: https://www.postgresql.org/docs/current/sql-alterdefaultprivileges.html
import { z } from "zod";

/** Shown in place of a password: the script never carries a real one, so it is safe to paste anywhere. */
export const PASSWORD_PLACEHOLDER = "replace-with-a-strong-password";

// NAMEDATALEN - 1: PostgreSQL truncates longer names silently, which would grant to the wrong object.
const MAX_IDENTIFIER_BYTES = 63;

// Names are quoted in the SQL, so any character is safe there, except control characters: a newline would
// end the `--` comment the name also appears in.
const Identifier = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}`)
    .refine((s) => new TextEncoder().encode(s).length <= MAX_IDENTIFIER_BYTES, `Use at most ${MAX_IDENTIFIER_BYTES} bytes`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "Remove line breaks and control characters");

export const PostgresGrantInput = z.object({
  role: Identifier("role name"),
  database: Identifier("database name"),
  schemas: z.array(Identifier("schema name")).min(1, "Name at least one schema your models read from").max(50),
  sluiceSchema: Identifier("schema name"),
  /** `script`: the script creates Sluice's schema, owned by the role. `sluice`: the role may create it itself. */
  sluiceSchemaCreatedBy: z.enum(["script", "sluice"]).default("script"),
});
export type PostgresGrantInput = z.input<typeof PostgresGrantInput>;

export interface GrantStatement {
  /** Why the statement is needed, in one line: it becomes the statement's `--` comment. */
  why: string;
  sql: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The script's statements in the order they must run, each with the reason it is there. */
export function postgresGrantStatements(input: PostgresGrantInput): GrantStatement[] {
  const o = PostgresGrantInput.parse(input);
  const role = quoteIdent(o.role);
  const database = quoteIdent(o.database);
  const own = quoteIdent(o.sluiceSchema);
  // Sluice owns its own schema already; granting it read access there too would only add noise.
  const schemas = [...new Set(o.schemas)].filter((s) => s !== o.sluiceSchema);
  const statements: GrantStatement[] = [
    {
      why: "A login role used only by Sluice, so its access stays minimal and can be revoked in one place. Replace the password, and enter the same one in Sluice.",
      sql: `CREATE ROLE ${role} WITH LOGIN PASSWORD ${quoteLiteral(PASSWORD_PLACEHOLDER)};`,
    },
    {
      why: `Lets the role connect to database ${database}, where your models' tables live.`,
      sql: `GRANT CONNECT ON DATABASE ${database} TO ${role};`,
    },
  ];
  for (const name of schemas) {
    const schema = quoteIdent(name);
    statements.push(
      {
        why: `Lets the role look up objects in schema ${schema}; without USAGE even granted tables stay invisible.`,
        sql: `GRANT USAGE ON SCHEMA ${schema} TO ${role};`,
      },
      {
        why: `Read-only access to the tables and views in ${schema} today: models are SELECTs, nothing else.`,
        sql: `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role};`,
      },
      {
        why: `Tables created in ${schema} later are readable too. Covers tables created by whoever runs this script; for another creator add FOR ROLE <that role>.`,
        sql: `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${role};`,
      },
    );
  }
  statements.push(
    o.sluiceSchemaCreatedBy === "script"
      ? {
          why: `Sluice keeps snapshots and diffs in its own schema ${own}; owning it lets Sluice create, write and drop tables there and nowhere else.`,
          sql: `CREATE SCHEMA ${own} AUTHORIZATION ${role};`,
        }
      : {
          why: `Lets Sluice create its schema ${own} on first connect (it then owns it). This also allows creating other schemas in ${database}.`,
          sql: `GRANT CREATE ON DATABASE ${database} TO ${role};`,
        },
  );
  return statements;
}

/** The statements as one script, ready to copy into psql. */
export function postgresGrantScript(input: PostgresGrantInput): string {
  const o = PostgresGrantInput.parse(input);
  const header = [
    `Sluice's PostgreSQL role. Run as a superuser or the owner of database ${quoteIdent(o.database)},`,
    `connected to that database (psql -d ${quoteIdent(o.database)}): grants apply to the database you are connected to.`,
  ];
  const body = postgresGrantStatements(o).map((s) => `${comment(s.why)}\n${s.sql}`);
  return `${header.map(comment).join("\n")}\n\n${body.join("\n\n")}\n`;
}

/** A `--` comment line; line breaks are flattened so text can never spill into SQL. */
function comment(text: string): string {
  return `-- ${text.replace(/[\r\n]+/g, " ")}`;
}

// "Test connection" for a PostgreSQL table: the host is allowed, Sluice can log in, the table exists (or can be
// created), the role may write to it, and the key columns have a unique constraint an upsert can match on.
// Privileges: https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-ACCESS
import pg from "pg";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import { checkHostStep, explainCheckError, requireKeyColumns, requireTableOrCreate } from "../../kit/table/connection-checks";
import { findUniqueKey, type TableInfo } from "../../kit/table/types";
import { describePostgresTarget, type PostgresTableConfig } from "./config";
import { clientConfig, readTableInfo } from "./connect";
import { errorTarget, tableName } from "./deliver";
import { classifyPostgresError, quoteIdent } from "./errors";
import { ident, qualifiedName } from "./sql";

export async function testPostgresTableConnection(
  config: PostgresTableConfig,
  options: { allowPrivate: boolean },
): Promise<ConnectionCheck> {
  const target = describePostgresTarget(config);
  const t = tableName(config);
  const label = `${t.schema}.${t.table}`;
  const qualified = qualifiedName(t);
  const grantee = quoteIdent(target.user);
  let client: pg.Client | undefined;
  let info: TableInfo | undefined;
  const connected = () => client as pg.Client;
  try {
    return await runSteps(
      [
        checkHostStep(target.host, options.allowPrivate),
        {
          name: "Connect",
          run: async () => {
            client = new pg.Client(clientConfig(config, options.allowPrivate));
            client.on("error", () => {});
            await client.connect();
            const { rows } = await client.query<{ user: string; version: string }>(
              "select current_user as user, current_setting('server_version') as version",
            );
            return `Connected to PostgreSQL ${rows[0]?.version} at ${target.host}:${target.port} as "${rows[0]?.user}".`;
          },
        },
        {
          name: "Find the table",
          run: async () => {
            info = await readTableInfo(connected(), t);
            if (info) return `${label} exists with ${info.columns.size} columns.`;
            requireTableOrCreate(label, config);
            const { rows } = await connected().query<{ schema: boolean; can: boolean }>(
              `select exists (select 1 from pg_catalog.pg_namespace where nspname = $1) as schema,
                 case when exists (select 1 from pg_catalog.pg_namespace where nspname = $1)
                   then has_schema_privilege($1, 'CREATE') else has_database_privilege(current_database(), 'CREATE') end as can`,
              [t.schema],
            );
            if (!rows[0]?.can) {
              const grant = rows[0]?.schema
                ? `GRANT CREATE ON SCHEMA ${ident(t.schema)} TO ${grantee}`
                : `GRANT CREATE ON DATABASE ${ident(target.database)} TO ${grantee}`;
              throw new CheckFailure(
                `Table ${label} does not exist and "${target.user}" may not create it. ${grant}, or create the table.`,
              );
            }
            return `${label} does not exist yet; Sluice will create it on the first run, with types inferred from the first batch.`;
          },
        },
        {
          name: "Check privileges",
          run: async () => {
            if (!info) return "Sluice will own the table it creates.";
            const { rows } = await connected().query<Record<"select" | "insert" | "update" | "delete", boolean>>(
              `select has_table_privilege($1, 'SELECT') as select, has_table_privilege($1, 'INSERT') as insert,
                      has_table_privilege($1, 'UPDATE') as update, has_table_privilege($1, 'DELETE') as delete`,
              [qualified],
            );
            const granted = rows[0] ?? { select: false, insert: false, update: false, delete: false };
            // Upserts read the columns they update (SELECT), insert and update; DELETE only matters for mirror.
            const missing = (["select", "insert", "update"] as const).filter((p) => !granted[p]).map((p) => p.toUpperCase());
            if (missing.length > 0) {
              throw new CheckFailure(
                `"${target.user}" lacks ${missing.join(", ")} on ${label}. Run: GRANT SELECT, INSERT, UPDATE, DELETE ON ${qualified} TO ${grantee}`,
              );
            }
            if (!granted.delete) {
              return `SELECT, INSERT and UPDATE granted; DELETE is not, so mirror mode cannot remove rows (GRANT DELETE ON ${qualified} TO ${grantee}).`;
            }
            return "SELECT, INSERT, UPDATE and DELETE granted.";
          },
        },
        {
          name: "Check the key columns",
          run: async () => {
            const keys = config.keyColumns.join(", ");
            if (!info) return `(${keys}) will be the primary key of the table Sluice creates.`;
            requireKeyColumns(label, info, config.keyColumns);
            if (!findUniqueKey(info, config.keyColumns)) {
              throw new CheckFailure(
                `${label} has no primary key or unique index on exactly (${keys}), which upserts match on. Add one: CREATE UNIQUE INDEX ON ${qualified} (${config.keyColumns.map(ident).join(", ")})`,
              );
            }
            return `(${keys}) has a unique index: upserts and deletes can match on it.`;
          },
        },
      ],
      explainCheckError((error) => classifyPostgresError(error, errorTarget(config))),
    );
  } finally {
    await client?.end().catch(() => {});
  }
}

// "Test connection" for a PostgreSQL source: the same things a sync needs, in the order it needs them.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import { describeTarget, type PostgresConfig } from "./config";
import { connect } from "./connect";
import { explainPostgresError } from "./explain-error";

const SCHEMA_LIST_LIMIT = 5;

export async function testPostgresConnection(config: PostgresConfig): Promise<ConnectionCheck> {
  const target = describeTarget(config);
  let client: pg.Client | undefined;
  const q = (text: string, values?: unknown[]) => {
    if (!client) throw new CheckFailure("Not connected");
    return client.query(text, values);
  };
  try {
    return await runSteps(
      [
        {
          name: "Connect",
          run: async () => {
            client = await connect(config);
            return `Connected to ${target.host}:${target.port}, database "${target.database}", as "${target.user}".`;
          },
        },
        {
          name: "Read schemas",
          run: async () => {
            const { rows } = await q(
              `select schema_name from information_schema.schemata
               where schema_name not like 'pg\\_%' and schema_name <> 'information_schema' order by 1`,
            );
            const names = rows.map((r: { schema_name: string }) => r.schema_name);
            if (names.length === 0)
              throw new CheckFailure(
                `User "${target.user}" cannot see any schema: grant USAGE on the schemas that hold your models.`,
              );
            const shown = names.slice(0, SCHEMA_LIST_LIMIT).join(", ") + (names.length > SCHEMA_LIST_LIMIT ? ", …" : "");
            return `${names.length} schema${names.length === 1 ? "" : "s"} visible: ${shown}.`;
          },
        },
        {
          name: `Write to schema "${config.sluiceSchema}"`,
          run: async () => {
            // Snapshots and diffs live in this schema, so a sync needs create + write there: prove both.
            const schema = quoteIdent(config.sluiceSchema);
            const probe = `${schema}.${quoteIdent(`_sluice_probe_${randomBytes(4).toString("hex")}`)}`;
            await q(`create schema if not exists ${schema}`);
            await q(`create table ${probe} (id int primary key)`);
            try {
              await q(`insert into ${probe} (id) values (1)`);
            } finally {
              await q(`drop table if exists ${probe}`);
            }
            return `Created and dropped a probe table in "${config.sluiceSchema}".`;
          },
        },
        {
          name: "Run a query",
          run: async () => {
            const started = performance.now();
            const { rows } = await q("select current_setting('server_version') as version");
            return `PostgreSQL ${rows[0]?.version ?? "?"} answered in ${Math.round(performance.now() - started)} ms.`;
          },
        },
      ],
      (error) => explainPostgresError(error, target),
    );
  } finally {
    await client?.end().catch(() => {});
  }
}

/** Identifiers are always quoted, never concatenated raw (the schema name is user input). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

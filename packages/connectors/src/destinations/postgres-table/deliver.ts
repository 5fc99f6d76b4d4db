// Delivery of one batch to a PostgreSQL table: the shared table delivery (kit/table/deliver.ts) with PostgreSQL's
// pool, catalog queries, statements and error classes.
import type pg from "pg";
import type { BatchOutcome, DeliverOptions, DeliveryBatch, DestinationDriver } from "../../kit/delivery";
import { FatalDestinationError } from "../../kit/delivery";
import { deliverTableBatch, type TableConnection, type TableTarget } from "../../kit/table/deliver";
import { cachedTableInfo } from "../../kit/table/pool";
import { TableWriteError } from "../../kit/table/writer";
import { describePostgresTarget, type PostgresTableConfig, postgresTableConfigSchema, redactedPostgresUrl } from "./config";
import { type PgPoolEntry, readTableInfo, withPostgresClient } from "./connect";
import { classifyPostgresError, type PostgresTableTarget } from "./errors";
import { createTableSql, ident, type PgTableName, postgresDialect, qualifiedName } from "./sql";

export const postgresTableDriver: DestinationDriver<PostgresTableConfig> = {
  maxBatchRecords: (config) => config.batchSize,
  deliver: deliverPostgresTableBatch,
};

export function deliverPostgresTableBatch(
  config: PostgresTableConfig,
  batch: DeliveryBatch,
  options: DeliverOptions,
): Promise<BatchOutcome> {
  return deliverTableBatch(postgresTarget, config, batch, options);
}

export function tableName(c: PostgresTableConfig): PgTableName {
  return { schema: c.schema, table: c.table };
}

export function errorTarget(c: PostgresTableConfig): PostgresTableTarget {
  return {
    ...describePostgresTarget(c),
    qualifiedTable: qualifiedName(tableName(c)),
    tableLabel: `${c.schema}.${c.table}`,
  };
}

const postgresTarget: TableTarget<PostgresTableConfig> = {
  parse(raw) {
    const parsed = postgresTableConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FatalDestinationError(
        `the PostgreSQL table's settings are invalid (${issue?.path.join(".") || "config"}: ${issue?.message})`,
      );
    }
    return parsed.data;
  },
  keyColumns: (c) => c.keyColumns,
  createTable: (c) => c.createTable,
  describe: redactedPostgresUrl,
  tableLabel: (c) => `${c.schema}.${c.table}`,
  uniqueIndexHint: (c) => `CREATE UNIQUE INDEX ON ${qualifiedName(tableName(c))} (${c.keyColumns.map(ident).join(", ")})`,
  withConnection: (c, options, fn) =>
    withPostgresClient(c, options.allowPrivate, (client, entry) => fn(tableConnection(c, client, entry))),
  classify: (c, error) => classifyPostgresError(error, errorTarget(c)),
};

function tableConnection(c: PostgresTableConfig, client: pg.PoolClient, entry: PgPoolEntry): TableConnection {
  const t = tableName(c);
  const classify = (error: unknown) => classifyPostgresError(error, errorTarget(c));
  return {
    async run(statement) {
      const result = await client.query(
        statement.values.length ? { text: statement.text, values: statement.values } : statement.text,
      );
      return { rowCount: result.rowCount ?? 0, rows: result.rows };
    },
    tableInfo: (fresh) => cachedTableInfo(entry, () => readTableInfo(client, t), fresh),
    async createTable(columns) {
      // CREATE SCHEMA needs CREATE on the database even when the schema exists: only ask when it is missing.
      const schema = await client.query("select 1 from pg_catalog.pg_namespace where nspname = $1", [t.schema]);
      const missing = schema.rows.length === 0;
      try {
        if (missing) await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(t.schema)}`);
        await client.query(createTableSql(t, columns));
      } catch (error) {
        if ((error as { code?: string }).code !== "42501") throw error;
        const target = errorTarget(c);
        const grant = missing
          ? `GRANT CREATE ON DATABASE ${ident(target.database)} TO ${ident(target.user)}`
          : `GRANT CREATE ON SCHEMA ${ident(t.schema)} TO ${ident(target.user)}`;
        throw new TableWriteError(
          "fatal",
          `user "${target.user}" may not create table ${t.schema}.${t.table} (${(error as Error).message}) — ${grant}, or create the table yourself`,
          { cause: error },
        );
      }
      entry.info = undefined;
    },
    dialect: (info) => postgresDialect(t, info, c.keyColumns, classify),
  };
}

// Delivery of one batch to a MySQL / MariaDB table: the shared table delivery (kit/table/deliver.ts)
// with MySQL's pool, catalog queries, statements and error numbers.
import type mysql from "mysql2/promise";
import type { BatchOutcome, DeliverOptions, DeliveryBatch, DestinationDriver } from "../../kit/delivery";
import { FatalDestinationError } from "../../kit/delivery";
import { deliverTableBatch, type TableConnection, type TableTarget } from "../../kit/table/deliver";
import { cachedTableInfo } from "../../kit/table/pool";
import { TableWriteError } from "../../kit/table/writer";
import { type MysqlTableConfig, mysqlTableConfigSchema, redactedMysqlUrl } from "./config";
import { type MysqlPoolEntry, readTableInfo, withMysqlConnection } from "./connect";
import { classifyMysqlError } from "./errors";
import { createTableSql, type MysqlTableName, mysqlDialect, qualifiedName, quoteId, statementBytes } from "./sql";

export const mysqlTableDriver: DestinationDriver<MysqlTableConfig> = {
  maxBatchRecords: (config) => config.batchSize,
  deliver: deliverMysqlTableBatch,
};

export function deliverMysqlTableBatch(
  config: MysqlTableConfig,
  batch: DeliveryBatch,
  options: DeliverOptions,
): Promise<BatchOutcome> {
  return deliverTableBatch(mysqlTarget, config, batch, options);
}

export function tableName(c: MysqlTableConfig): MysqlTableName {
  return { database: c.database, table: c.table };
}

const mysqlTarget: TableTarget<MysqlTableConfig> = {
  parse(raw) {
    const parsed = mysqlTableConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FatalDestinationError(
        `the MySQL table's settings are invalid (${issue?.path.join(".") || "config"}: ${issue?.message})`,
      );
    }
    return parsed.data;
  },
  keyColumns: (c) => c.keyColumns,
  createTable: (c) => c.createTable,
  describe: redactedMysqlUrl,
  tableLabel: (c) => `${c.database}.${c.table}`,
  uniqueIndexHint: (c) => `ALTER TABLE ${qualifiedName(tableName(c))} ADD UNIQUE KEY (${c.keyColumns.map(quoteId).join(", ")})`,
  withConnection: (c, options, fn) =>
    withMysqlConnection(c, options.allowPrivate, (connection, entry) => fn(tableConnection(c, connection, entry))),
  classify: (c, error) => classifyMysqlError(error, c),
};

function tableConnection(c: MysqlTableConfig, connection: mysql.PoolConnection, entry: MysqlPoolEntry): TableConnection {
  const t = tableName(c);
  return {
    async run(statement) {
      // Statements with values are prepared on the server; transaction control goes as plain text.
      const [result] = statement.values.length
        ? await connection.execute(statement.text, statement.values as never[])
        : await connection.query(statement.text);
      if (Array.isArray(result)) return { rowCount: result.length, rows: result as Record<string, unknown>[] };
      return { rowCount: (result as mysql.ResultSetHeader).affectedRows ?? 0, rows: [] };
    },
    tableInfo: (fresh) => cachedTableInfo(entry, () => readTableInfo(connection, t), fresh),
    async createTable(columns) {
      try {
        await connection.query(createTableSql(t, columns));
      } catch (error) {
        if ((error as { errno?: number }).errno !== 1142) throw error;
        throw new TableWriteError(
          "fatal",
          `user "${c.user}" may not create table ${c.database}.${c.table} (${(error as Error).message}) — GRANT CREATE ON ${quoteId(c.database)}.* TO '${c.user}'@'%', or create the table yourself`,
          { cause: error },
        );
      }
      entry.info = undefined;
    },
    dialect: (info) =>
      mysqlDialect(t, info, c.keyColumns, entry.maxBytes ?? statementBytes(4 * 1024 * 1024), (error) =>
        classifyMysqlError(error, c),
      ),
  };
}

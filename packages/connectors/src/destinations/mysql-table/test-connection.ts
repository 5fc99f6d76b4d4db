// "Test connection" for a MySQL / MariaDB table: the host is allowed, Sluice can log in, the table exists (or
// can be created), the user may write to it, and the key columns have a unique key ON DUPLICATE KEY UPDATE
// can match on. Privileges are checked by running each write so that it touches no row (WHERE 1 = 0) inside a
// transaction that is rolled back: the server checks privileges before it looks at rows, and this sees every
// way a privilege can be held (global, database, table, role), which reading SHOW GRANTS would have to re-derive.
import mysql from "mysql2/promise";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import { checkHostStep, explainCheckError, requireKeyColumns, requireTableOrCreate } from "../../kit/table/connection-checks";
import { findUniqueKey, type TableInfo } from "../../kit/table/types";
import type { MysqlTableConfig } from "./config";
import { connectionOptions, readTableInfo } from "./connect";
import { tableName } from "./deliver";
import { classifyMysqlError } from "./errors";
import { qualifiedName, quoteId } from "./sql";

export async function testMysqlTableConnection(
  config: MysqlTableConfig,
  options: { allowPrivate: boolean },
): Promise<ConnectionCheck> {
  const t = tableName(config);
  const label = `${t.database}.${t.table}`;
  const qualified = qualifiedName(t);
  const grantee = `'${config.user}'@'%'`;
  let connection: mysql.Connection | undefined;
  let info: TableInfo | undefined;
  const connected = () => connection as mysql.Connection;
  try {
    return await runSteps(
      [
        checkHostStep(config.host, options.allowPrivate),
        {
          name: "Connect",
          run: async () => {
            connection = await mysql.createConnection(connectionOptions(config, options.allowPrivate));
            connection.on("error", () => {});
            const [rows] = await connection.query<mysql.RowDataPacket[]>("SELECT VERSION() AS version, CURRENT_USER() AS user");
            return `Connected to ${rows[0]?.version} at ${config.host}:${config.port} as ${rows[0]?.user}.`;
          },
        },
        {
          name: "Find the table",
          run: async () => {
            info = await readTableInfo(connected(), t);
            if (info) return `${label} exists with ${info.columns.size} columns.`;
            requireTableOrCreate(label, config);
            // Whether CREATE is granted cannot be asked without creating something; the first run says so if not.
            return `${label} does not exist yet; Sluice will create it on the first run, with types inferred from the first batch (this needs: GRANT CREATE ON ${quoteId(t.database)}.* TO ${grantee}).`;
          },
        },
        {
          name: "Check privileges",
          run: async () => {
            if (!info) {
              return `Checked once the table exists: writing needs GRANT SELECT, INSERT, UPDATE, DELETE ON ${qualified} TO ${grantee}.`;
            }
            // Any writable column will do: the probes touch no row.
            const column = [...info.columns.values()].find((c) => !c.generated)?.name ?? (config.keyColumns[0] as string);
            const key = quoteId(column);
            const probes: [string, string][] = [
              ["SELECT", `SELECT 1 FROM ${qualified} WHERE 1 = 0`],
              ["INSERT", `INSERT INTO ${qualified} (${key}) SELECT ${key} FROM ${qualified} WHERE 1 = 0`],
              ["UPDATE", `UPDATE ${qualified} SET ${key} = ${key} WHERE 1 = 0`],
              ["DELETE", `DELETE FROM ${qualified} WHERE 1 = 0`],
            ];
            const missing: string[] = [];
            await connected().query("START TRANSACTION");
            try {
              for (const [privilege, sql] of probes) {
                try {
                  await connected().query(sql);
                } catch (error) {
                  const errno = (error as { errno?: number }).errno;
                  if (errno === 1142 || errno === 1143) missing.push(privilege);
                  else throw error;
                }
              }
            } finally {
              await connected().query("ROLLBACK");
            }
            const required = missing.filter((p) => p !== "DELETE");
            const grant = `GRANT SELECT, INSERT, UPDATE, DELETE ON ${qualified} TO ${grantee}`;
            if (required.length > 0)
              throw new CheckFailure(`"${config.user}" lacks ${missing.join(", ")} on ${label}. Run: ${grant}`);
            if (missing.includes("DELETE")) {
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
              // Without one, ON DUPLICATE KEY UPDATE never finds a duplicate and every upsert would add a row.
              throw new CheckFailure(
                `${label} has no primary key or unique key on exactly (${keys}); without one every upsert would insert a new row. Add one: ALTER TABLE ${qualified} ADD UNIQUE KEY (${config.keyColumns.map(quoteId).join(", ")})`,
              );
            }
            const others = info.uniqueKeys.length - 1;
            const warning =
              others > 0
                ? ` The table has ${others} other unique key${others > 1 ? "s" : ""}: a row clashing on one of them updates that row instead (MySQL's ON DUPLICATE KEY rule).`
                : "";
            return `(${keys}) has a unique key: upserts and deletes can match on it.${warning}`;
          },
        },
      ],
      explainCheckError((error) => classifyMysqlError(error, config)),
    );
  } finally {
    await connection?.end().catch(() => connection?.destroy());
  }
}

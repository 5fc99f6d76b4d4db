// The MySQL / MariaDB table destination: changed rows written straight into a table (upsert, insert, update,
// mirror), one transaction per batch, bad rows isolated and rejected with the server's own message.
import type { DestinationContract } from "../../kit/contract";
import type { DestinationConnector } from "../../kit/spec";
import { tableDestinationContract } from "../../kit/table/contract";
import { MYSQL_TABLE_SECRET_FIELDS, type MysqlTableConfig, mysqlTableConfigSchema } from "./config";
import { mysqlTableDriver } from "./deliver";
import { listMysqlTableFields } from "./list-fields";
import { testMysqlTableConnection } from "./test-connection";

export { type MysqlTableConfig, mysqlTableConfigSchema } from "./config";
export { closeMysqlTablePools } from "./connect";
export { deliverMysqlTableBatch, mysqlTableDriver } from "./deliver";

// Statements inside a batch are sized under 65535 placeholders and half the server's max_allowed_packet.
export const mysqlTableContract: DestinationContract = tableDestinationContract([
  { title: "MySQL INSERT … ON DUPLICATE KEY UPDATE", url: "https://dev.mysql.com/doc/refman/8.4/en/insert-on-duplicate.html" },
  {
    title: "MariaDB INSERT ON DUPLICATE KEY UPDATE",
    url: "https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/inserting-loading-data/insert-on-duplicate-key-update",
  },
  {
    title: "MariaDB INSERT IGNORE (why it is not used)",
    url: "https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/inserting-loading-data/insert-ignore",
  },
  { title: "MySQL strict SQL mode", url: "https://dev.mysql.com/doc/refman/8.4/en/sql-mode.html#sql-mode-strict" },
  { title: "MySQL SAVEPOINT", url: "https://dev.mysql.com/doc/refman/8.4/en/savepoint.html" },
  { title: "MySQL max_allowed_packet", url: "https://dev.mysql.com/doc/refman/8.4/en/packet-too-large.html" },
  { title: "MySQL server error reference", url: "https://dev.mysql.com/doc/mysql-errors/8.4/en/server-error-reference.html" },
]);

export const mysqlTableDestination: DestinationConnector<MysqlTableConfig> = {
  slug: "mysql-table",
  name: "MySQL / MariaDB table",
  kind: "destination",
  description:
    "Write changed rows into a MySQL or MariaDB table: upsert on key columns (INSERT … ON DUPLICATE KEY UPDATE), insert, update or mirror with deletes.",
  configSchema: mysqlTableConfigSchema,
  secretFields: MYSQL_TABLE_SECRET_FIELDS,
  testConnection: testMysqlTableConnection,
  contract: mysqlTableContract,
  driver: mysqlTableDriver,
  listFields: listMysqlTableFields,
  docsUrl: "https://dev.mysql.com/doc/refman/8.4/en/insert-on-duplicate.html",
};

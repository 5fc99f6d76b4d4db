// The PostgreSQL table destination: changed rows written straight into a table (upsert, insert, update,
// mirror), one transaction per batch, bad rows isolated and rejected with the database's own message.
import type { DestinationContract } from "../../kit/contract";
import type { DestinationConnector } from "../../kit/spec";
import { tableDestinationContract } from "../../kit/table/contract";
import { POSTGRES_TABLE_SECRET_FIELDS, type PostgresTableConfig, postgresTableConfigSchema } from "./config";
import { postgresTableDriver } from "./deliver";
import { listPostgresTableFields } from "./list-fields";
import { testPostgresTableConnection } from "./test-connection";

export { type PostgresTableConfig, postgresTableConfigSchema } from "./config";
export { closePostgresTablePools } from "./connect";
export { deliverPostgresTableBatch, postgresTableDriver } from "./deliver";

// Statements inside a batch are sized under the protocol's 65535 parameters.
export const postgresTableContract: DestinationContract = tableDestinationContract([
  { title: "PostgreSQL INSERT … ON CONFLICT", url: "https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT" },
  { title: "PostgreSQL UPDATE", url: "https://www.postgresql.org/docs/current/sql-update.html" },
  { title: "PostgreSQL SAVEPOINT", url: "https://www.postgresql.org/docs/current/sql-savepoint.html" },
  { title: "PostgreSQL error codes", url: "https://www.postgresql.org/docs/current/errcodes-appendix.html" },
  {
    title: "PostgreSQL access privilege inquiry functions",
    url: "https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-ACCESS",
  },
]);

export const postgresTableDestination: DestinationConnector<PostgresTableConfig> = {
  slug: "postgres-table",
  name: "PostgreSQL table",
  kind: "destination",
  description:
    "Write changed rows into a PostgreSQL table: upsert on key columns (INSERT … ON CONFLICT), insert, update or mirror with deletes.",
  configSchema: postgresTableConfigSchema,
  secretFields: POSTGRES_TABLE_SECRET_FIELDS,
  testConnection: testPostgresTableConnection,
  contract: postgresTableContract,
  driver: postgresTableDriver,
  listFields: listPostgresTableFields,
  docsUrl: "https://www.postgresql.org/docs/current/sql-insert.html",
};

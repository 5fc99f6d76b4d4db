import type { WarehouseConnector } from "../../kit/spec";
import { POSTGRES_SECRET_FIELDS, type PostgresConfig, postgresConfigSchema } from "./config";
import { testPostgresConnection } from "./test-connection";

export { type PostgresConfig, postgresConfigSchema } from "./config";

export const postgresWarehouse: WarehouseConnector<PostgresConfig> = {
  slug: "postgres",
  name: "PostgreSQL",
  kind: "warehouse",
  description: "Read models from a PostgreSQL database (also Amazon RDS, Aurora, Cloud SQL, Supabase, Neon).",
  configSchema: postgresConfigSchema,
  secretFields: POSTGRES_SECRET_FIELDS,
  docsUrl: "https://www.postgresql.org/docs/current/libpq-connect.html",
  testConnection: testPostgresConnection,
};
export { postgresWarehouseAdapter } from "./adapter";

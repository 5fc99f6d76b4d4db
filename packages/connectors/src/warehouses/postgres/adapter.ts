// The PostgreSQL warehouse adapter: a run's snapshot, diff, keyset reads and commit, in PostgreSQL's dialect.
import type { z } from "zod";
import type { WarehouseAdapter } from "../../kit/warehouse";
import { postgresConfigSchema } from "./config";
import { openPostgresSession } from "./session";

export const postgresWarehouseAdapter: WarehouseAdapter<z.input<typeof postgresConfigSchema>> = {
  // Parsed again so defaults (sluiceSchema, port, sslMode) are filled whatever the caller stored.
  open: (config) => openPostgresSession(postgresConfigSchema.parse(config)),
};

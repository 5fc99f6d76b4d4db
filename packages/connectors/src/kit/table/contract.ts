// The contract every table destination shares (postgres-table, mysql-table): one object, the table's rows,
// whose fields are the table's columns (listed from the database, not fixed here). Only the docs differ.
import { SYNC_MODES } from "@sluice/contracts/sync-config";
import type { DestinationContract, DocsLink } from "../contract";

export function tableDestinationContract(docs: readonly DocsLink[]): DestinationContract {
  return {
    objects: [
      {
        name: "rows",
        label: "Table rows",
        description: "One row per record in the configured table; fields are the table's columns (listed from the database).",
        modes: SYNC_MODES,
        fields: [],
      },
    ],
    // Records per deliver() call (the config's batchSize picks within this); each destination sizes the
    // statements inside under its own limits (placeholders, packet size).
    batch: { maxRecords: 10_000 },
    // Writes are idempotent by key (a re-sent batch upserts the same rows again), but no idempotency key is stored.
    idempotencyKeys: false,
    docs,
  };
}

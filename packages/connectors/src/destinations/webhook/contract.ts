// The webhook as typed data: any endpoint, one free-form object, every mode; fields are whatever the
// mapping names.
import { SYNC_MODES } from "@sluice/contracts/sync-config";
import type { DestinationContract } from "../../kit/contract";

/** Any endpoint: one free-form object, every mode, the record's fields as mapped. */
export const webhookContract: DestinationContract = {
  objects: [
    {
      name: "records",
      label: "Records",
      description: "Each changed row as {op, key, data, idempotencyKey}; fields are whatever the mapping names.",
      modes: SYNC_MODES,
      fields: [],
    },
  ],
  batch: { maxRecords: 10_000 },
  idempotencyKeys: true,
  docs: [{ title: "Sluice webhook protocol", url: "packages/connectors/src/destinations/webhook/README.md" }],
};

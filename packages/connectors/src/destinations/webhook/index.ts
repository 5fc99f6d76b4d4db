import { SYNC_MODES } from "@sluice/contracts/sync-config";
import type { DestinationContract } from "../../kit/contract";
import type { DestinationConnector } from "../../kit/spec";
import { WEBHOOK_SECRET_FIELDS, type WebhookConfig, webhookConfigSchema } from "./config";
import { webhookDriver } from "./deliver";
import { testWebhookConnection } from "./test-connection";

export { type WebhookConfig, webhookConfigSchema } from "./config";
export { deliverWebhookBatch, webhookDriver } from "./deliver";

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

export const webhookDestination: DestinationConnector<WebhookConfig> = {
  slug: "webhook",
  name: "Webhook",
  kind: "destination",
  description: "POST batches of changed records as JSON to any HTTP endpoint, optionally signed with HMAC-SHA256.",
  configSchema: webhookConfigSchema,
  secretFields: WEBHOOK_SECRET_FIELDS,
  testConnection: testWebhookConnection,
  contract: webhookContract,
  driver: webhookDriver,
};

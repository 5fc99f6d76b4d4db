import type { DestinationConnector } from "../../kit/spec";
import { WEBHOOK_SECRET_FIELDS, type WebhookConfig, webhookConfigSchema } from "./config";
import { webhookContract } from "./contract";
import { webhookDriver } from "./deliver";
import { testWebhookConnection } from "./test-connection";

export { type WebhookConfig, webhookConfigSchema } from "./config";
export { webhookContract } from "./contract";
export { deliverWebhookBatch, webhookDriver } from "./deliver";

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

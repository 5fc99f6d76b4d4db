// Webhook destination settings. Headers are secret as a whole (they usually carry an Authorization
// token): their names stay visible, their values are masked.
import { z } from "zod";

export const webhookConfigSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL" })
    .describe("Endpoint that receives each batch as a JSON POST"),
  batchSize: z.coerce.number().int().min(1).max(10_000).default(500).describe("Records per request (1–10000)"),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid header name"), z.string().max(8_192))
    .optional()
    .describe("Extra request headers, e.g. Authorization; values are stored encrypted"),
  signingSecret: z
    .string()
    .min(16, "Use at least 16 characters")
    .max(256)
    .optional()
    .describe("When set, each request carries X-Sluice-Signature: sha256=<HMAC of the body>"),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export const WEBHOOK_SECRET_FIELDS = ["headers", "signingSecret"] as const;

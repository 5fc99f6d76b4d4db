// Webhook destination settings. Headers are secret as a whole (they usually carry an Authorization
// token): their names stay visible, their values are masked.
import { z } from "zod";
import { templateProblem } from "./template";

export const webhookConfigSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL" })
    .describe("Endpoint that receives each batch as a JSON POST"),
  delivery: z
    .enum(["batch", "record"])
    .default("batch")
    .describe("batch: many records per request (batchSize); record: one request per record"),
  batchSize: z.coerce.number().int().min(1).max(10_000).default(500).describe("Records per request (1–10000)"),
  concurrency: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(4)
    .describe("Most requests in flight at once (1–32); Sluice lowers it when the endpoint slows down or answers 429"),
  gzip: z
    .boolean()
    .default(false)
    .describe("Compress request bodies with gzip (Content-Encoding: gzip); turn on only if the endpoint accepts it"),
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
  recordTemplate: z
    .string()
    .max(20_000)
    .superRefine((text, ctx) => {
      const problem = templateProblem(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .describe(
      'Optional JSON shape of each record, with {{op}}, {{key.id}}, {{data.email}}, {{idempotencyKey}}… placeholders, e.g. {"email": "{{data.email}}", "action": "{{op}}"}',
    ),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export const WEBHOOK_SECRET_FIELDS = ["headers", "signingSecret"] as const;

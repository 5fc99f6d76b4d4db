// The webhook destination's wire format (issue 3, item 7). The worker sends a WebhookBatch; a 2xx reply
// may carry a WebhookResponse with one result per record, in record order. The demo inbox and any
// user-written receiver validate against these same schemas, so sender and receiver cannot drift.
import { z } from "zod";

export const WebhookOpSchema = z.enum(["insert", "update", "delete"]);
export type WebhookOp = z.infer<typeof WebhookOpSchema>;

/** Primary-key column → value. Composite keys have several entries; never empty. */
export const WebhookRecordKeySchema = z
  .record(z.string().min(1), z.json())
  .refine((key) => Object.keys(key).length > 0, { message: "key must name at least one primary-key column" });

export const WebhookRecordSchema = z.object({
  op: WebhookOpSchema,
  key: WebhookRecordKeySchema,
  /** Mapped fields. Required by receivers for insert/update; absent (and ignored if present) for delete. */
  data: z.record(z.string(), z.json()).optional(),
  /** Deterministic per (sync, pk, row hash), so a batch re-sent after a crash can be deduplicated. */
  idempotencyKey: z.string().min(1),
});
export type WebhookRecord = z.infer<typeof WebhookRecordSchema>;

export const WebhookBatchSchema = z.object({
  syncId: z.string().min(1),
  runId: z.string().min(1),
  batchId: z.string().min(1),
  records: z.array(WebhookRecordSchema),
});
export type WebhookBatch = z.infer<typeof WebhookBatchSchema>;

export const WebhookResultStatusSchema = z.enum(["ok", "rejected", "retry"]);
export type WebhookResultStatus = z.infer<typeof WebhookResultStatusSchema>;

export const WebhookResultSchema = z.object({
  status: WebhookResultStatusSchema,
  reason: z.string().optional(),
});
export type WebhookResult = z.infer<typeof WebhookResultSchema>;

export const WebhookResponseSchema = z.object({ results: z.array(WebhookResultSchema) });
export type WebhookResponse = z.infer<typeof WebhookResponseSchema>;

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body>` when the destination has a signing secret. */
export const WEBHOOK_SIGNATURE_HEADER = "X-Sluice-Signature";
export const WEBHOOK_SIGNATURE_PREFIX = "sha256=";

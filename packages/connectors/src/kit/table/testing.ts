// Test-only: the records, batches and fast retry policy the table destinations' delivery tests build on.
import type { DeliverOptions, DeliveryBatch, DeliveryRecord } from "../delivery";

/** Private addresses allowed (the test databases are local) and retries that take milliseconds. */
export const FAST_DELIVERY: DeliverOptions = { allowPrivate: true, retry: { attempts: 3, baseMs: 1, capMs: 5 } };

/** A record with an idempotency key derived from its key and op. */
export const rec = (op: DeliveryRecord["op"], key: Record<string, unknown>, data?: Record<string, unknown>): DeliveryRecord => ({
  op,
  key,
  ...(data ? { data } : {}),
  idempotencyKey: `k-${JSON.stringify(key)}-${op}`,
});

export const batch = (records: DeliveryRecord[], mode: DeliveryBatch["mode"] = "upsert"): DeliveryBatch => ({
  syncId: "sync1",
  runId: "run1",
  batchId: "run1-1",
  mode,
  records,
});

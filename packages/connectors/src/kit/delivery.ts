// The contract between the run engine and a destination's delivery code: the engine hands over a batch
// of mapped records, the driver sends it (retrying transient failures itself) and answers with one
// result per record, in record order, plus what was sent and received for the run's debugger.
import type { SyncMode } from "@sluice/contracts/sync-config";
import type { RateLimit } from "./contract";
import type { RetryPolicy } from "./retry";
import type { AdaptiveConcurrency, RateBudget } from "./throttle";

export type { RetryPolicy } from "./retry";

export interface DeliveryRecord {
  op: "insert" | "update" | "delete";
  /** Primary-key column → value. */
  key: Record<string, unknown>;
  /** Mapped fields; absent for deletes. */
  data?: Record<string, unknown>;
  /** Deterministic per (sync, pk, row hash): a batch re-sent after a crash carries the same keys. */
  idempotencyKey: string;
}

export interface DeliveryBatch {
  syncId: string;
  runId: string;
  batchId: string;
  /** The destination object written (Sync.object); absent for destinations with one object. */
  object?: string | null;
  /** The sync's mode; destinations whose requests differ by mode read it (default upsert). */
  mode?: SyncMode;
  records: DeliveryRecord[];
}

/** One request and its response, as recorded for the debugger and test-one-row (secrets masked). */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response?: { status: number; body: string };
  latencyMs: number;
}

/** `failed` = transient: the record is retried on the next run. `rejected` = bad record: not retried until it changes. */
export type RecordResult = { status: "ok" } | { status: "rejected"; reason: string } | { status: "failed"; reason: string };

export interface BatchOutcome {
  /** Same order and length as the batch's records. */
  results: RecordResult[];
  /** HTTP attempts made (1 when the first one settled it). */
  attempts: number;
  /** Wall time of the whole call, waits between retries included. */
  latencyMs: number;
  /** The last request sent. Secret header values are replaced by a mask; the body is cut at 64 KB. */
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  /** The last response received, body cut at 64 KB; absent when no response came (network error, timeout). */
  response?: { status: number; body: string };
  /** Time spent waiting on the account's rate budget, concurrency slots and 429 Retry-After (back pressure). */
  throttledMs?: number;
  /** The last requests and responses of this call (at most 20), oldest first. */
  exchanges?: Exchange[];
}

/**
 * The destination cannot be used as configured: credentials refused (401/403), a private address refused,
 * a bad URL or config. Retrying cannot help; the run fails with this message.
 */
export class FatalDestinationError extends Error {
  override name = "FatalDestinationError";
}

export interface DeliverOptions {
  /** Operator switch SLUICE_ALLOW_PRIVATE_DESTINATIONS. */
  allowPrivate: boolean;
  /**
   * Aborting stops waiting between retries at once (deliver rejects with the abort reason and the batch
   * counts as not sent); a request already in flight gets a short grace period to finish first.
   */
  signal?: AbortSignal;
  retry?: RetryPolicy;
  /** Overrides of the HTTP timeouts (tests). */
  timeouts?: { connectMs?: number; responseMs?: number };
  /** The per-account rate budget; default: one in this process's memory. */
  budget?: RateBudget;
  /** The concurrency limiter for an account; default: one per account in this process. */
  concurrency?: (account: string, limit: RateLimit | undefined) => AdaptiveConcurrency;
  /** How long to keep waiting out 429s before leaving records for the next run (default 10 min). */
  rateLimitPatienceMs?: number;
}

export interface DestinationDriver<C> {
  /** Most records one deliver() call (one engine batch) may carry. */
  maxBatchRecords(config: C): number;
  /**
   * How many batches the engine may have in deliver() at once (default 1). The engine checkpoints only the
   * unbroken run of finished batches, so after a crash at most this many batches are sent again.
   */
  batchesInFlight?(config: C): number;
  /**
   * True when the destination does nothing with values but serialize them to JSON: the engine then reads
   * timestamps as the ISO strings JSON would make of them (see WarehouseSession.readDiffPage).
   */
  jsonValues?: boolean;
  deliver(config: C, batch: DeliveryBatch, options: DeliverOptions): Promise<BatchOutcome>;
}

/** Bytes of a request or response body kept in a BatchOutcome. */
export const RECORDED_BODY_BYTES = 64 * 1024;

/** `text` cut to at most `bytes` UTF-8 bytes, saying how much was left out. */
export function truncateForRecord(text: string, bytes: number = RECORDED_BODY_BYTES): string {
  // Every request of a sync is recorded: measure without copying, and copy only the part that is kept.
  if (text.length <= bytes / 3) return text; // at most 3 UTF-8 bytes per UTF-16 unit
  const total = Buffer.byteLength(text, "utf8");
  if (total <= bytes) return text;
  // Decoding a cut multi-byte character yields U+FFFD; drop it.
  const head = Buffer.from(text.slice(0, bytes), "utf8")
    .subarray(0, bytes)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return `${head}… [truncated, ${total} bytes in all]`;
}

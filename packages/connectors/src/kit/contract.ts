// A destination's contract as typed data (DESIGN.md "Delivery"): what it writes, the fields of each
// object, the modes it supports, its batch limits, its rate limit and whether it takes idempotency keys,
// with links to the official documentation it follows. The mapper, the sync validation and the kit's
// batching and throttling all read this; nothing about a destination is known only to its code.
import type { SyncMode } from "@sluice/contracts/sync-config";

export type DestinationFieldType = "string" | "number" | "integer" | "boolean" | "date" | "datetime" | "json";

export interface DestinationField {
  /** The name the destination uses (dot paths for nested fields, e.g. `traits.plan`). */
  name: string;
  label?: string;
  type: DestinationFieldType;
  /** A record without it is rejected by the destination (the mapper flags it before saving). */
  required?: boolean;
  /** Identifies the record at the destination: the match key upserts and deletes use. */
  identifier?: boolean;
  description?: string;
  /** Allowed values, for enumerations. */
  options?: string[];
}

export interface DestinationObject {
  /** Stored in Sync.object, e.g. "contacts". */
  name: string;
  label: string;
  description?: string;
  modes: readonly SyncMode[];
  /** Fields known without asking the account; `listFields` (when the destination has it) adds custom ones. */
  fields: readonly DestinationField[];
}

export interface BatchLimits {
  /** Most records in one request. */
  maxRecords: number;
  /** Largest request body in bytes, when the API documents one. */
  maxBytes?: number;
}

/** The documented request budget of one account: `requests` per `perMs`. */
export interface RateLimit {
  requests: number;
  perMs: number;
  /** Requests in flight at once to start with; adaptive concurrency moves between 1 and `maxConcurrency`. */
  initialConcurrency?: number;
  maxConcurrency?: number;
}

export interface DocsLink {
  title: string;
  url: string;
}

export interface DestinationContract {
  objects: readonly DestinationObject[];
  batch: BatchLimits;
  /** Absent: no documented limit (the kit still backs off on 429 and adapts concurrency). */
  rateLimit?: RateLimit;
  /** The destination deduplicates by the record's idempotency key (a re-sent batch is not applied twice). */
  idempotencyKeys: boolean;
  docs: readonly DocsLink[];
}

/** How a destination answered for one record. `fatal` is not here: it is thrown as FatalDestinationError. */
export type RecordVerdict =
  | { status: "ok" }
  | { status: "rejected"; reason: string }
  | { status: "retryable"; reason: string }
  /** Not to be re-sent within this run (e.g. an unreadable answer to a request that may have been applied); the next run retries it. */
  | { status: "failed"; reason: string }
  | { status: "rate_limited"; reason: string; retryAfterMs?: number };

/** One response classified: per record (in the request's record order), or one verdict for the whole request. */
export type ResponseVerdict =
  | { kind: "records"; results: RecordVerdict[] }
  /**
   * The whole request. A whole-request `rejected` for several records is split by the kit and retried in
   * halves to isolate the bad record(s) — unless `split: false` says every record is at fault.
   */
  | { kind: "request"; verdict: RecordVerdict; split?: boolean };

export function findObject(contract: DestinationContract, name: string | null | undefined): DestinationObject | undefined {
  if (name == null) return contract.objects.length === 1 ? contract.objects[0] : undefined;
  return contract.objects.find((o) => o.name === name);
}

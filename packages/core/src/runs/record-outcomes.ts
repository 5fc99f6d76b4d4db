// The control-plane half of a batch: its per-record outcomes, the run's counters and the checkpoint, in
// ONE transaction — so after a crash either all of a batch is accounted for (and it is not re-sent) or
// none of it is (and it is re-sent once, with the same idempotency keys). Conditioned on the lease: a
// worker that lost the run writes nothing.
import { createHash } from "node:crypto";
import type { Db, Tx } from "@sluice/db";
import { z } from "zod";
import { LeaseLost } from "./run-errors";

export const CheckpointSchema = z.object({
  /** Primary key values of the last row handled, in primary key order (keyset position in the diff). */
  after: z.array(z.unknown()).nullable(),
  /** Batches handled so far. */
  batches: z.number().int().min(0),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export function parseCheckpoint(value: unknown): Checkpoint {
  const parsed = CheckpointSchema.safeParse(value);
  return parsed.success ? parsed.data : { after: null, batches: 0 };
}

export interface OutcomeRow {
  key: Record<string, unknown>;
  /** Primary key values in primary key order: what keyHash is computed from. */
  keyValues: unknown[];
  status: "rejected" | "failed";
  reason: string;
  payload?: unknown;
  response?: unknown;
}

export interface RunRef {
  id: string;
  workspaceId: string;
  syncId: string;
}

/** One outcome per record per run: the key hash identifies the record whatever the JSON key order. */
export function keyHash(keyValues: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(keyValues)).digest("hex");
}

/** The batch's outcome rows as JSON for jsonb_to_recordset; one row per key (the last wins). */
function outcomesJson(rows: OutcomeRow[]): string {
  // A statement may not upsert the same row twice, and rows sharing a duplicated or null key are one
  // quarantined record to the user.
  const byKey = new Map<string, OutcomeRow>();
  for (const r of rows) byKey.set(keyHash(r.keyValues), r);
  return JSON.stringify(
    [...byKey].map(([hash, r]) => ({
      recordKey: r.key,
      keyHash: hash,
      status: r.status,
      reason: r.reason,
      payload: r.payload ?? null,
      response: r.response ?? null,
    })),
  );
}

/** Inserts outcomes; a record seen again in the same run (a re-sent batch) overwrites its outcome. */
export async function upsertOutcomes(tx: Tx, run: RunRef, rows: OutcomeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    insert into record_outcome ("workspaceId", "syncId", "runId", "recordKey", "keyHash", status, reason, payload, response)
    select ${run.workspaceId}, ${run.syncId}, ${run.id}, x."recordKey", x."keyHash", x.status::"RecordStatus", x.reason,
      x.payload, x.response
    from jsonb_to_recordset(${outcomesJson(rows)}::jsonb)
      as x("recordKey" jsonb, "keyHash" text, status text, reason text, payload jsonb, response jsonb)
    on conflict ("runId", "keyHash") do update set status = excluded.status, reason = excluded.reason,
      payload = excluded.payload, response = excluded.response, attempts = record_outcome.attempts + 1`;
}

export interface BatchRecord {
  run: RunRef;
  owner: string;
  outcomes: OutcomeRow[];
  counts: { delivered: number; rejected: number; failed: number };
  checkpoint: Checkpoint;
}

/** What the user asked of the run, as of the checkpoint just written. */
export interface RunFlags {
  pauseRequested: boolean;
  cancelRequested: boolean;
}

/**
 * Outcomes + counters + checkpoint of one delivered batch, atomically: ONE statement (the outcome insert
 * runs only when the lease-conditioned update matched), so a batch costs one round trip. Returns the run's
 * pause/cancel flags; throws LeaseLost if the run is not ours.
 */
export async function recordBatch(db: Db, b: BatchRecord): Promise<RunFlags> {
  const rows = await db.$queryRaw<RunFlags[]>`
    with run as (
      update sync_run set delivered = delivered + ${b.counts.delivered}::int, rejected = rejected + ${b.counts.rejected}::int,
        failed = failed + ${b.counts.failed}::int, checkpoint = ${JSON.stringify(b.checkpoint)}::jsonb
      where id = ${b.run.id} and "leaseOwner" = ${b.owner} and status = 'delivering'
      returning "pauseRequested", "cancelRequested"
    ), outcomes as (
      insert into record_outcome ("workspaceId", "syncId", "runId", "recordKey", "keyHash", status, reason, payload, response)
      select ${b.run.workspaceId}, ${b.run.syncId}, ${b.run.id}, x."recordKey", x."keyHash", x.status::"RecordStatus",
        x.reason, x.payload, x.response
      from jsonb_to_recordset(${outcomesJson(b.outcomes)}::jsonb)
        as x("recordKey" jsonb, "keyHash" text, status text, reason text, payload jsonb, response jsonb)
      where exists (select 1 from run)
      on conflict ("runId", "keyHash") do update set status = excluded.status, reason = excluded.reason,
        payload = excluded.payload, response = excluded.response, attempts = record_outcome.attempts + 1
    )
    select "pauseRequested", "cancelRequested" from run`;
  const flags = rows[0];
  if (!flags) throw new LeaseLost(b.run.id);
  return flags;
}

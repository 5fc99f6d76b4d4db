// Delivering: the diff is streamed page by page (keyset on the primary key, from the checkpoint); each page
// is one batch, mapped and handed to the destination. A destination may take several batches at once
// (`batchesInFlight`, e.g. the webhook's concurrency): they are sent as a sliding window, and the checkpoint
// only ever covers the unbroken run of finished batches from the start — their failures marked in the
// warehouse's diff, then, in ONE control-plane statement, their outcomes, counters and the new checkpoint.
// A crash re-sends at most the batches of the window (by default one), with the same batch ids and
// idempotency keys. Each checkpoint write returns the cancel and pause flags, so the run stops (after
// finishing the batches in flight) at a checkpoint, never between one.
import { type BatchOutcome, type DeliveryRecord, FatalDestinationError } from "@sluice/connectors/kit/delivery";
import { type DiffRow, MAX_DIFF_PAGE } from "@sluice/connectors/kit/warehouse";
import { compileMapping, type MappingResult } from "@sluice/contracts/mapping";
import { SharedRateBudget } from "../destinations/shared-rate-budget";
import { diffPages } from "./diff-pages";
import { idempotencyKeys } from "./idempotency-keys";
import { type BatchSample, notifyObserver } from "./observer";
import { type Checkpoint, type OutcomeRow, type RunFlags, recordBatch } from "./record-outcomes";
import { inWarehouse, type RunContext } from "./run-context";
import { LeaseLost, RunFailure } from "./run-errors";

export type DeliverResult = "done" | "paused" | "cancelled" | "stopped";

const SAMPLE_PER_BATCH = 5;
const OP_BY_DIFF = { added: "insert", changed: "update", removed: "delete" } as const;

/** A batch handed to the destination and not yet covered by a checkpoint. */
interface InFlight {
  batchNo: number;
  records: number;
  /** Keyset position after this batch's last row: the checkpoint once this batch and all before it are done. */
  after: unknown[];
  done: Promise<HandledPage | "stopped">;
  /** Set when `done` settles. */
  settled?: { ok: true; value: HandledPage | "stopped" } | { ok: false; error: unknown };
}

export async function deliverRun(rc: RunContext, from: Checkpoint): Promise<DeliverResult> {
  const { plan } = rc;
  const { driver, config } = rc.destination;
  const pageSize = Math.max(1, driver.maxBatchRecords(config));
  const window = Math.max(1, Math.floor(driver.batchesInFlight?.(config) ?? 1));
  const map = compileMapping(plan.mappings);
  const keyFor = idempotencyKeys(rc.run.syncId, rc.run.id);
  // A destination that only serializes values to JSON gets timestamps as the ISO strings JSON would make of
  // them: reading and serializing a Date costs more than the rest of the row.
  const timestamps = driver.jsonValues ? ("iso" as const) : ("date" as const);
  const first = await stopRequested(rc);
  if (first) return first;
  // The diff is read ahead (one connection, so a read queues behind any outcome write); reading ahead never
  // moves the checkpoint.
  const nextPage = diffPages({
    read: (after, limit) =>
      inWarehouse(rc, "reading the diff", () =>
        rc.warehouse.session.readDiffPage({
          tables: plan.tables,
          primaryKey: plan.primaryKey,
          columns: plan.columns,
          after,
          limit,
          timestamps,
        }),
      ),
    positionOf: (row) => keyValues(rc, row),
    from: from.after,
    batchSize: pageSize,
    maxChunk: MAX_DIFF_PAGE,
  });

  let dispatched = from.batches;
  let exhausted = false;
  let stop: Exclude<DeliverResult, "done"> | undefined;
  const window$: InFlight[] = [];
  try {
    for (;;) {
      while (!stop && !exhausted && window$.length < window) {
        const page = await nextPage();
        if (page.length === 0) {
          exhausted = true;
          break;
        }
        const after = keyValues(rc, page[page.length - 1] as DiffRow);
        const batchNo = ++dispatched;
        const entry: InFlight = { batchNo, records: page.length, after, done: handlePage(rc, map, keyFor, page, batchNo) };
        entry.done.then(
          (value) => {
            entry.settled = { ok: true, value };
          },
          (error: unknown) => {
            entry.settled = { ok: false, error };
          },
        );
        window$.push(entry);
      }
      const head = window$[0];
      if (!head) return stop ?? "done";
      await head.done.catch(() => {});
      // Every finished batch from the head on goes into this checkpoint; the first unfinished one ends it.
      const finished: { entry: InFlight; handled: HandledPage }[] = [];
      let failure: { error: unknown } | undefined;
      let cutShort = false;
      for (const entry of window$) {
        const settled = entry.settled;
        if (!settled) break;
        if (!settled.ok) {
          failure = { error: settled.error };
          break;
        }
        if (settled.value === "stopped") {
          // Shutdown cut this batch short: it and everything after it count as not sent.
          cutShort = true;
          break;
        }
        finished.push({ entry, handled: settled.value });
      }
      if (finished.length > 0) {
        const flags = await checkpointBatches(rc, finished);
        window$.splice(0, finished.length);
        stop ??= stopFrom(rc, flags);
      }
      if (failure) throw failure.error;
      if (cutShort) return "stopped";
    }
  } finally {
    // Whatever ends the loop (a stop, a fatal error, a lost lease), no request outlives it unobserved.
    await Promise.allSettled(window$.map((e) => e.done));
  }
}

/**
 * The control-plane half of finished batches: their failed rows marked in the warehouse diff (so the
 * commit keeps those rows' previous state), then outcomes, counters and checkpoint in one statement.
 */
async function checkpointBatches(rc: RunContext, finished: { entry: InFlight; handled: HandledPage }[]): Promise<RunFlags> {
  const { plan } = rc;
  rc.lease.assertHeld();
  const failedKeys = finished.flatMap((f) => f.handled.failedKeys);
  if (failedKeys.length > 0) {
    await inWarehouse(rc, "recording delivery outcomes", () =>
      rc.warehouse.session.markOutcomes({
        tables: plan.tables,
        primaryKey: plan.primaryKey,
        outcomes: failedKeys.map((key) => ({ key, status: "failed" as const })),
      }),
    );
  }
  const counts = { delivered: 0, rejected: 0, failed: 0 };
  for (const { handled } of finished) {
    counts.delivered += handled.counts.delivered;
    counts.rejected += handled.counts.rejected;
    counts.failed += handled.counts.failed;
  }
  const last = finished[finished.length - 1] as { entry: InFlight };
  const flags = await recordBatch(rc.s.db, {
    run: rc.run,
    owner: rc.lease.owner,
    outcomes: finished.flatMap((f) => f.handled.outcomes),
    counts,
    checkpoint: { after: last.entry.after, batches: last.entry.batchNo },
  });
  for (const { entry, handled } of finished) {
    notifyObserver(rc.log, () =>
      rc.observer?.onBatch?.({
        runId: rc.run.id,
        syncId: rc.run.syncId,
        records: entry.records,
        outcomes: handled.counts,
        latencyMs: handled.latencyMs,
        ...(handled.throttledMs !== undefined ? { throttledMs: handled.throttledMs } : {}),
        sample: handled.sample,
      }),
    );
  }
  return flags;
}

/** Cancel, then pause, then shutdown: read fresh from the run row before the first batch. */
async function stopRequested(rc: RunContext): Promise<Exclude<DeliverResult, "done"> | undefined> {
  rc.lease.assertHeld();
  const run = await rc.s.db.syncRun.findUnique({
    where: { id: rc.run.id },
    select: { leaseOwner: true, pauseRequested: true, cancelRequested: true },
  });
  if (!run || run.leaseOwner !== rc.lease.owner) throw new LeaseLost(rc.run.id);
  return stopFrom(rc, run);
}

/** After each batch the checkpoint write returns the run's pause/cancel flags: no extra query. */
function stopFrom(rc: RunContext, flags: RunFlags): Exclude<DeliverResult, "done"> | undefined {
  if (flags.cancelRequested) return "cancelled";
  if (flags.pauseRequested) return "paused";
  if (rc.shutdown?.aborted) return "stopped";
  return undefined;
}

interface HandledPage {
  /** Keys of records to retry on the next run (the warehouse diff marks them; everything else is done). */
  failedKeys: Record<string, unknown>[];
  outcomes: OutcomeRow[];
  counts: { delivered: number; rejected: number; failed: number };
  latencyMs: number;
  throttledMs?: number;
  sample: BatchSample[];
}

type RowMapper = (row: Record<string, unknown>) => MappingResult;

async function handlePage(
  rc: RunContext,
  map: RowMapper,
  keyFor: ReturnType<typeof idempotencyKeys>,
  page: DiffRow[],
  batchNo: number,
): Promise<HandledPage | "stopped"> {
  const h: HandledPage = {
    failedKeys: [],
    outcomes: [],
    counts: { delivered: 0, rejected: 0, failed: 0 },
    latencyMs: 0,
    sample: [],
  };
  const records: DeliveryRecord[] = [];
  const sentRows: DiffRow[] = [];
  for (const row of page) {
    const values = keyValues(rc, row);
    const record: DeliveryRecord = {
      op: OP_BY_DIFF[row.op],
      key: row.key,
      idempotencyKey: keyFor(values, row.hash),
      data: undefined,
    };
    if (row.op === "removed") {
      // A delete carries the row's last synced fields when they still map (destinations that delete by a
      // mapped identifier, e.g. an email, need it); otherwise the key alone.
      const last = row.row ? map(row.row) : undefined;
      if (last?.ok) record.data = last.data;
    } else {
      // The row carries the primary key columns too.
      const mapped = map(row.row ?? row.key);
      if (!mapped.ok) {
        // Not sent: a bad record is rejected here, and not retried until its row changes.
        h.outcomes.push({ key: row.key, keyValues: values, status: "rejected", reason: mapped.reason, payload: row.row });
        h.counts.rejected++;
        continue;
      }
      record.data = mapped.data;
    }
    records.push(record);
    sentRows.push(row);
  }
  if (records.length === 0) return h;
  const outcome = await send(rc, {
    syncId: rc.run.syncId,
    runId: rc.run.id,
    batchId: `${rc.run.id}-${batchNo}`,
    object: rc.plan.object ?? null,
    mode: rc.plan.mode,
    records,
  });
  if (outcome === "stopped") return "stopped";
  h.latencyMs = outcome.latencyMs;
  h.throttledMs = outcome.throttledMs;
  const httpStatus = outcome.response?.status ?? null;
  records.forEach((record, i) => {
    const row = sentRows[i] as DiffRow;
    const result = outcome.results[i] ?? { status: "failed" as const, reason: "no result for this record" };
    const status = result.status === "ok" ? "delivered" : result.status;
    if (status === "failed") h.failedKeys.push(row.key);
    h.counts[status]++;
    // Delivered records leave nothing behind but the count (this runs for every record of a sync).
    if (result.status === "ok" && h.sample.length >= SAMPLE_PER_BATCH) return;
    const response = { httpStatus, ...result };
    if (result.status !== "ok") {
      h.outcomes.push({
        key: row.key,
        keyValues: keyValues(rc, row),
        status: result.status,
        reason: result.reason,
        payload: record,
        response,
      });
    }
    if (h.sample.length < SAMPLE_PER_BATCH) {
      h.sample.push({ key: row.key, payload: record, response, outcome: status, latencyMs: outcome.latencyMs });
    }
  });
  return h;
}

/** Every run and worker process draws from the same per-account budget in the control-plane database. */
const budgets = new WeakMap<object, SharedRateBudget>();

function budgetFor(rc: RunContext): SharedRateBudget {
  let budget = budgets.get(rc.s.db);
  if (!budget) {
    budget = new SharedRateBudget(rc.s.db);
    budgets.set(rc.s.db, budget);
  }
  return budget;
}

async function send(rc: RunContext, batch: Parameters<RunContext["destination"]["driver"]["deliver"]>[1]) {
  const { driver, config, name } = rc.destination;
  let outcome: BatchOutcome;
  try {
    rc.lease.assertHeld();
    outcome = await driver.deliver(config, batch, {
      allowPrivate: rc.s.allowPrivateDestinations ?? false,
      signal: rc.signal,
      budget: budgetFor(rc),
      ...(rc.retry ? { retry: rc.retry } : {}),
    });
  } catch (error) {
    if (rc.lease.lost) throw new LeaseLost(rc.run.id);
    if (error instanceof FatalDestinationError) {
      throw new RunFailure(`destination "${name}" refused the delivery: ${error.message}`, { cause: error });
    }
    // Shutdown cut the batch short: it counts as not sent, and the next worker sends it from the checkpoint.
    if (rc.shutdown?.aborted) return "stopped" as const;
    throw error;
  }
  if (outcome.results.length !== batch.records.length) {
    throw new RunFailure(
      `destination "${name}" answered ${outcome.results.length} results for a batch of ${batch.records.length} records`,
    );
  }
  return outcome;
}

function keyValues(rc: RunContext, row: DiffRow): unknown[] {
  return rc.plan.primaryKey.map((column) => row.key[column] ?? null);
}

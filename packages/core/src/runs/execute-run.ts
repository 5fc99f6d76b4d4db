// The state machine driver (DESIGN.md "The run is a state machine"): takes the run's lease, then loops
// "read the run → do the work of its status → persist the next status" until the run settles or this
// worker must stop. The status is persisted BEFORE its work, and every step is safe to repeat, so a
// worker that dies anywhere leaves a run the next lease holder resumes where it was.
//
//   queued → planning → snapshotting → diffing → delivering → committing → succeeded
//                                                   ↕ paused     (any step before committing) → cancelled
//   any step → failed (RunFailure: the cause is in run.error)
//
// Ways out: settled (succeeded / failed / cancelled / paused; lease released with the transition);
// shutdown signal (lease released and the job re-enqueued, status unchanged, so another worker resumes
// from the checkpoint); lease lost (stop, write nothing); transient error (lease released, error rethrown
// so the queue retries the job).
import { randomUUID } from "node:crypto";
import type { RetryPolicy } from "@sluice/connectors/kit/retry";
import { Prisma, type SyncRun, type Tx } from "@sluice/db";
import type { Services } from "../context";
import type { Logger } from "../log";
import { enqueueRun } from "../queue/enqueue-run";
import { deliverRun } from "./deliver-run";
import { LEASE_TTL_MS, RunLease, releaseLease, WORKABLE_STATUSES } from "./lease";
import { notifyObserver, type RunObserver } from "./observer";
import { parsePlan, planRun, type RunPlan } from "./plan-run";
import { parseCheckpoint, upsertOutcomes } from "./record-outcomes";
import { type OpenDestination, type OpenWarehouse, openDestination, openWarehouse } from "./run-connections";
import { inWarehouse, type RunContext } from "./run-context";
import { errorMessage, LeaseLost, RunFailure } from "./run-errors";
import { FINISHED, type TransitionInput, transition } from "./transitions";

export interface ExecuteRunOptions {
  runId: string;
  /** Names this worker process in the lease (each call adds a unique suffix). */
  workerId: string;
  /** Shutdown (SIGTERM): stop at the next checkpoint, release the lease, leave the status as it is. */
  signal?: AbortSignal;
  observer?: RunObserver;
  leaseTtlMs?: number;
  /** Retry policy of deliveries (tests inject a fast one). */
  deliveryRetry?: RetryPolicy;
}

const COMMIT_ATTEMPTS = 3;

export async function executeRun(s: Services, o: ExecuteRunOptions): Promise<void> {
  const ttlMs = o.leaseTtlMs ?? LEASE_TTL_MS;
  const owner = `${o.workerId}/${randomUUID().slice(0, 8)}`;
  const log = s.log.child({ runId: o.runId, leaseOwner: owner });
  const lease = await RunLease.take(s.db, { runId: o.runId, owner, ttlMs, log });
  if (!lease) {
    log.info("run not taken: it is settled or another worker holds its lease");
    return;
  }
  lease.startHeartbeat();
  const engine = new RunEngine(s, o, lease, log);
  try {
    await engine.drive();
  } finally {
    lease.stopHeartbeat();
    await engine.close();
  }
}

class RunEngine {
  private warehouse: OpenWarehouse | undefined;
  private destination: OpenDestination | undefined;
  private readonly signal: AbortSignal;

  constructor(
    private readonly s: Services,
    private readonly o: ExecuteRunOptions,
    private readonly lease: RunLease,
    private readonly log: Logger,
  ) {
    this.signal = o.signal ? AbortSignal.any([o.signal, lease.signal]) : lease.signal;
  }

  async drive(): Promise<void> {
    try {
      let stalled = 0;
      for (;;) {
        const run = await this.s.db.syncRun.findUnique({ where: { id: this.o.runId } });
        if (!run) return; // deleted with its sync
        this.lease.assertHeld();
        if (run.leaseOwner !== this.lease.owner) throw new LeaseLost(run.id);
        if (!(WORKABLE_STATUSES as readonly string[]).includes(run.status)) {
          await this.lease.release();
          return;
        }
        if (run.cancelRequested && run.status !== "committing") {
          await this.cancel(run);
          return;
        }
        if (this.o.signal?.aborted) {
          await this.stop(run);
          return;
        }
        const outcome = await this.step(run);
        if (outcome === "settled") return;
        // A refused transition means the run changed under us (cancel requested, lease lost): re-read it.
        stalled = outcome === "refused" ? stalled + 1 : 0;
        if (stalled > 3) throw new Error(`run ${run.id}: status ${run.status} could not be advanced`);
      }
    } catch (error) {
      if (error instanceof LeaseLost || this.lease.lost) {
        this.log.warn({ err: error }, "stopped without writing: the lease was lost");
        return;
      }
      if (error instanceof RunFailure) return await this.fail(error);
      this.log.error({ err: error }, "run step failed; the job will be retried and resume from the persisted state");
      await this.lease.release().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.warehouse?.session.close().catch((error: unknown) => this.log.warn({ err: error }, "closing the warehouse"));
  }

  /** Does the work of the run's status and persists the next one. */
  private async step(run: SyncRun): Promise<"advanced" | "refused" | "settled"> {
    switch (run.status) {
      case "queued":
        return this.move(run, { to: "planning" });
      case "planning": {
        const plan = await planRun(this.s, run);
        const data = {
          plan: plan as unknown as Prisma.InputJsonValue,
          fullResync: plan.fullResync,
          fullResyncReason: plan.fullResyncReason,
        };
        const detail = plan.fullResync ? `full resync: ${plan.fullResyncReason}` : "incremental";
        return this.move(run, { to: "snapshotting", data, detail });
      }
      case "snapshotting": {
        const rc = await this.context(run);
        const { plan } = rc;
        const snap = await inWarehouse(rc, "taking the snapshot", () =>
          rc.warehouse.session.snapshot({
            tables: plan.tables,
            query: plan.query,
            primaryKey: plan.primaryKey,
            columns: plan.columns,
          }),
        );
        // Quarantined rows (null or duplicate primary keys) are rejected records, written with the transition.
        const outcomes = snap.quarantined.map((q) => ({
          key: q.key,
          keyValues: plan.primaryKey.map((c) => q.key[c] ?? null),
          status: "rejected" as const,
          reason: q.reason,
        }));
        const detail = `${snap.rows} rows, ${snap.quarantinedCount} quarantined`;
        return this.move(run, { to: "diffing", data: { rejected: snap.quarantinedCount }, detail }, (tx) =>
          upsertOutcomes(tx, rc.run, outcomes),
        );
      }
      case "diffing": {
        const rc = await this.context(run);
        const { plan } = rc;
        const d = await inWarehouse(rc, "computing the diff", () =>
          rc.warehouse.session.diff({
            tables: plan.tables,
            primaryKey: plan.primaryKey,
            columns: plan.columns,
            ops: plan.ops,
            fullResync: plan.fullResync,
          }),
        );
        const planned = d.added + d.changed + d.removed;
        const data = {
          added: d.added,
          changed: d.changed,
          removed: d.removed,
          planned,
          delivered: 0,
          failed: 0,
          checkpoint: Prisma.DbNull,
        };
        return this.move(run, { to: "delivering", data, detail: `${d.added} added, ${d.changed} changed, ${d.removed} removed` });
      }
      case "delivering": {
        const rc = await this.context(run);
        const result = await deliverRun(rc, parseCheckpoint(run.checkpoint));
        if (result === "cancelled") return this.cancel(run);
        if (result === "stopped") return this.stop(run);
        if (result === "paused") {
          const batches = parseCheckpoint((await this.reload(run)).checkpoint).batches;
          const moved = await this.move(run, { to: "paused", detail: `paused after ${batches} batches` });
          return moved === "advanced" ? "settled" : moved;
        }
        const fresh = await this.reload(run);
        return this.move(fresh, { to: "committing", detail: `${parseCheckpoint(fresh.checkpoint).batches} batches` });
      }
      case "committing": {
        const rc = await this.context(run);
        await this.commit(rc);
        const fresh = await this.reload(run);
        const detail = `${fresh.delivered} delivered, ${fresh.rejected} rejected, ${fresh.failed} failed`;
        const moved = await this.move(fresh, { to: "succeeded", detail }, async (tx) => {
          await tx.sync.update({ where: { id: run.syncId }, data: { committedConfigHash: rc.plan.configHash } });
        });
        return moved === "advanced" ? "settled" : moved;
      }
      default:
        throw new Error(`run ${run.id}: unexpected status ${run.status}`);
    }
  }

  /** The warehouse commit is one transaction and repeatable; a few quick retries spare a re-delivery. */
  private async commit(rc: RunContext): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.lease.assertHeld();
      try {
        await inWarehouse(rc, "committing the snapshot", () =>
          rc.warehouse.session.commit({ tables: rc.plan.tables, primaryKey: rc.plan.primaryKey, columns: rc.plan.columns }),
        );
        return;
      } catch (error) {
        if (!(error instanceof RunFailure) || attempt >= COMMIT_ATTEMPTS) throw error;
        this.log.warn({ err: error, attempt }, "commit failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }

  /** Cancel: drop the run's transient tables (the committed snapshot is untouched), then cancelled. */
  private async cancel(run: SyncRun): Promise<"settled"> {
    const detail = await this.cleanup(run);
    await this.move(run, { to: "cancelled", detail: detail ?? "cancelled" });
    return "settled";
  }

  private async fail(failure: RunFailure): Promise<void> {
    this.log.warn({ err: failure }, "run failed");
    const run = await this.s.db.syncRun.findUnique({ where: { id: this.o.runId } });
    if (!run || run.leaseOwner !== this.lease.owner || FINISHED.includes(run.status)) return;
    await this.cleanup(run);
    const error = failure.message.charAt(0).toUpperCase() + failure.message.slice(1);
    try {
      await this.move(run, { to: "failed", data: { error }, detail: error });
    } catch (e) {
      if (!(e instanceof LeaseLost)) throw e;
      this.log.warn({ err: e }, "could not record the failure: the lease was lost");
    }
  }

  /** Shutdown: release the lease and re-enqueue in one transaction; the status stays, another worker resumes. */
  private async stop(run: SyncRun): Promise<"settled"> {
    await this.s.db.$transaction(async (tx) => {
      if (await releaseLease(tx, { runId: run.id, owner: this.lease.owner })) await enqueueRun(tx, run.id);
    });
    this.log.info({ status: run.status }, "stopped for shutdown at a checkpoint; the run will resume elsewhere");
    return "settled";
  }

  /** Best effort: a warehouse that cannot be reached leaves the transient tables behind, never the run. */
  private async cleanup(run: SyncRun): Promise<string | undefined> {
    const plan = parsePlanSafe(run.plan);
    if (!plan) return undefined;
    try {
      this.warehouse ??= await openWarehouse(this.s, plan.sourceId);
      await this.warehouse.session.cleanup({ tables: plan.tables });
      return undefined;
    } catch (error) {
      this.log.warn({ err: error }, "could not drop the run's transient tables");
      return `transient tables could not be dropped: ${errorMessage(error)}`;
    }
  }

  private async move(
    run: SyncRun,
    t: Pick<TransitionInput, "to" | "data" | "detail">,
    extra?: (tx: Tx) => Promise<void>,
  ): Promise<"advanced" | "refused"> {
    this.lease.assertHeld();
    const to = t.to;
    const final = to === "failed" || to === "cancelled";
    const ok = await transition(
      this.s.db,
      { runId: run.id, from: run.status, lease: this.lease.owner, unlessCancelRequested: !final, ...t },
      extra,
    );
    if (!ok) return "refused";
    notifyObserver(this.log, () => this.o.observer?.onTransition?.(run.id, run.status, to));
    if (FINISHED.includes(to)) {
      const settled = await this.s.db.syncRun.findUnique({
        where: { id: run.id },
        select: { startedAt: true, finishedAt: true },
      });
      const durationMs = (settled?.finishedAt?.getTime() ?? Date.now()) - (settled?.startedAt?.getTime() ?? Date.now());
      notifyObserver(this.log, () => this.o.observer?.onRunFinished?.({ runId: run.id, status: to, durationMs }));
    }
    return "advanced";
  }

  private async reload(run: SyncRun): Promise<SyncRun> {
    const fresh = await this.s.db.syncRun.findUnique({ where: { id: run.id } });
    if (!fresh || fresh.leaseOwner !== this.lease.owner) throw new LeaseLost(run.id);
    return fresh;
  }

  private async context(run: SyncRun): Promise<RunContext> {
    const plan = parsePlan(run.plan);
    if (!plan) throw new RunFailure("the run has no plan (planning did not complete)");
    this.warehouse ??= await openWarehouse(this.s, plan.sourceId);
    if (run.status === "delivering") this.destination ??= await openDestination(this.s, plan.destinationId);
    return {
      s: this.s,
      log: this.log,
      run: { id: run.id, workspaceId: run.workspaceId, syncId: run.syncId },
      plan,
      lease: this.lease,
      signal: this.signal,
      ...(this.o.signal ? { shutdown: this.o.signal } : {}),
      ...(this.o.observer ? { observer: this.o.observer } : {}),
      ...(this.o.deliveryRetry ? { retry: this.o.deliveryRetry } : {}),
      warehouse: this.warehouse,
      destination: this.destination as OpenDestination,
    };
  }
}

function parsePlanSafe(value: unknown): RunPlan | undefined {
  try {
    return parsePlan(value);
  } catch {
    return undefined;
  }
}

// A run is worked on by whoever holds its lease: a row-level compare-and-set on sync_run (owner + expiry,
// in the database's clock), renewed by a heartbeat every TTL/3. A worker that dies stops renewing; once the
// lease expires another worker may take the run and resume it from its persisted state and checkpoint.
// Every control-plane write of the engine is conditioned on `leaseOwner = <this lease>`, so a worker that
// lost its lease cannot write over the new owner's progress.
import { type Db, Prisma } from "@sluice/db";
import type { Logger } from "../log";
import { LeaseLost } from "./run-errors";

export const LEASE_TTL_MS = 30_000;

/** Statuses a worker may take a run in: the active ones, and queued. */
export const WORKABLE_STATUSES = ["queued", "planning", "snapshotting", "diffing", "delivering", "committing"] as const;

// Prisma stores DateTime as UTC in `timestamp without time zone`; compare in UTC whatever the session zone.
const NOW_UTC = Prisma.sql`(now() at time zone 'utc')`;

export interface LeaseFlags {
  status: string;
  pauseRequested: boolean;
  cancelRequested: boolean;
}

/** Takes the lease if it is free or expired and the run is in one of `statuses`. True when taken. */
export async function takeLease(
  db: Db,
  o: { runId: string; owner: string; ttlMs: number; statuses?: readonly string[] },
): Promise<boolean> {
  const statuses = [...(o.statuses ?? WORKABLE_STATUSES)];
  const rows = await db.$queryRaw<{ id: string }[]>`
    update sync_run set "leaseOwner" = ${o.owner},
      "leaseExpiresAt" = ${NOW_UTC} + ${o.ttlMs}::int * interval '1 millisecond',
      "heartbeatAt" = ${NOW_UTC}
    where id = ${o.runId} and status::text = any(${statuses}::text[])
      and ("leaseOwner" is null or "leaseExpiresAt" is null or "leaseExpiresAt" < ${NOW_UTC})
    returning id`;
  return rows.length === 1;
}

/** Extends the lease; undefined when this owner no longer holds it. Returns the run's pause/cancel requests. */
export async function renewLease(db: Db, o: { runId: string; owner: string; ttlMs: number }): Promise<LeaseFlags | undefined> {
  const rows = await db.$queryRaw<LeaseFlags[]>`
    update sync_run set "leaseExpiresAt" = ${NOW_UTC} + ${o.ttlMs}::int * interval '1 millisecond', "heartbeatAt" = ${NOW_UTC}
    where id = ${o.runId} and "leaseOwner" = ${o.owner}
    returning status::text as status, "pauseRequested", "cancelRequested"`;
  return rows[0];
}

export async function releaseLease(db: Db | Prisma.TransactionClient, o: { runId: string; owner: string }): Promise<boolean> {
  const n = await db.$executeRaw`
    update sync_run set "leaseOwner" = null, "leaseExpiresAt" = null where id = ${o.runId} and "leaseOwner" = ${o.owner}`;
  return n === 1;
}

/**
 * A held lease with its heartbeat. `signal` aborts when the lease is lost (or cannot be renewed before it
 * expires by this process's clock), so in-flight delivery stops and nothing more is written.
 */
export class RunLease {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** Local deadline: renewal sent at t keeps the lease until t + ttl (minus a margin for clock drift). */
  private validUntil: number;
  flags: LeaseFlags | undefined;

  constructor(
    private readonly db: Db,
    readonly runId: string,
    readonly owner: string,
    readonly ttlMs: number,
    private readonly log: Logger,
    takenAt: number,
  ) {
    this.validUntil = takenAt + this.safeTtl();
  }

  static async take(db: Db, o: { runId: string; owner: string; ttlMs: number; log: Logger; statuses?: readonly string[] }) {
    const sentAt = Date.now();
    if (!(await takeLease(db, o))) return undefined;
    return new RunLease(db, o.runId, o.owner, o.ttlMs, o.log, sentAt);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get lost(): boolean {
    return this.controller.signal.aborted || Date.now() > this.validUntil;
  }

  /** Throws LeaseLost unless the lease is still ours: call before any write the new owner could conflict with. */
  assertHeld(): void {
    if (this.lost) {
      this.markLost();
      throw new LeaseLost(this.runId);
    }
  }

  startHeartbeat(): void {
    const every = Math.max(50, Math.floor(this.ttlMs / 3));
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async renew(): Promise<void> {
    if (this.controller.signal.aborted) return;
    const sentAt = Date.now();
    try {
      const flags = await renewLease(this.db, this);
      if (!flags) {
        this.log.warn({ runId: this.runId }, "lease lost: another worker took the run");
        this.markLost();
        return;
      }
      this.flags = flags;
      this.validUntil = sentAt + this.safeTtl();
    } catch (error) {
      // The control plane is unreachable: keep trying; `lost` turns true once the lease may have expired.
      this.log.warn({ err: error, runId: this.runId }, "lease renewal failed");
      if (Date.now() > this.validUntil) this.markLost();
    }
  }

  async release(): Promise<void> {
    this.stopHeartbeat();
    await releaseLease(this.db, this);
  }

  private markLost(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new LeaseLost(this.runId));
  }

  private safeTtl(): number {
    return this.ttlMs - Math.floor(this.ttlMs / 10);
  }
}

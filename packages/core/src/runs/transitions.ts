// The run's state machine (DESIGN.md "The run is a state machine"). A transition is a compare-and-set on
// the run's status — conditioned on the lease for a worker, or on no live lease for the control plane —
// written with its timeline row in ONE transaction, BEFORE the work of the state it enters begins. The
// status therefore always names the step to (re)do; every step is safe to repeat.
import type { RunStatus } from "@sluice/contracts/run-view";
import type { Db, Prisma, Tx } from "@sluice/db";

export const ALLOWED_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  queued: ["planning", "paused", "cancelled", "failed"],
  planning: ["snapshotting", "cancelled", "failed"],
  snapshotting: ["diffing", "cancelled", "failed"],
  diffing: ["delivering", "cancelled", "failed"],
  delivering: ["committing", "paused", "cancelled", "failed"],
  // Past this point the run can no longer be cancelled: the warehouse commit is one transaction.
  committing: ["succeeded", "failed"],
  // Resume returns a run to where it paused: queued (paused before it started) or delivering.
  paused: ["queued", "delivering", "cancelled"],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export const FINISHED: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export interface TransitionInput {
  runId: string;
  from: RunStatus;
  to: RunStatus;
  /** The worker's lease owner; `"unleased"` for control-plane transitions (no live lease may exist). */
  lease: string | "unleased";
  detail?: string | null;
  /** Other columns written with the status (plan, counters, error…). */
  data?: Prisma.SyncRunUpdateManyMutationInput;
  /** Refuse when cancel was requested: the caller must take the cancel path instead. */
  unlessCancelRequested?: boolean;
}

/**
 * Applies one transition inside `tx`. False when the run is no longer in `from` (or the lease is not the
 * caller's, or cancel was requested under unlessCancelRequested): the caller re-reads the run and decides.
 */
export async function applyTransition(tx: Tx, t: TransitionInput): Promise<boolean> {
  if (!canTransition(t.from, t.to)) throw new Error(`run ${t.runId}: transition ${t.from} → ${t.to} is not allowed`);
  const now = new Date();
  const where: Prisma.SyncRunWhereInput = { id: t.runId, status: t.from };
  if (t.lease === "unleased") where.OR = [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }];
  else where.leaseOwner = t.lease;
  if (t.unlessCancelRequested) where.cancelRequested = false;
  const data: Prisma.SyncRunUpdateManyMutationInput = { ...t.data, status: t.to };
  if (t.from === "queued" && t.to === "planning") data.startedAt = now;
  if (FINISHED.includes(t.to) || t.to === "paused") {
    // Nobody works on a settled run: its lease goes with the transition, in the same write.
    data.leaseOwner = null;
    data.leaseExpiresAt = null;
    data.pauseRequested = false;
  }
  if (FINISHED.includes(t.to)) data.finishedAt = now;
  const { count } = await tx.syncRun.updateMany({ where, data });
  if (count !== 1) return false;
  await tx.syncRunTransition.create({ data: { runId: t.runId, from: t.from, to: t.to, at: now, detail: t.detail ?? null } });
  return true;
}

/** applyTransition in its own transaction, with `extra` writes (outcomes, sync state) in the same one. */
export async function transition(db: Db, t: TransitionInput, extra?: (tx: Tx) => Promise<void>): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await applyTransition(tx, t))) return false;
    await extra?.(tx);
    return true;
  });
}

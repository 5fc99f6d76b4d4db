// Shared by pause and cancel: nobody works on a queued run, so it is settled at once; a run a worker holds
// is asked to stop (its worker acts at the next checkpoint or step boundary).
import type { Tx } from "@sluice/db";
import { applyTransition } from "./transitions";

/** Statuses a worker may be working in, where a stop can still be requested. */
const STOPPABLE = ["queued", "planning", "snapshotting", "diffing", "delivering"] as const;

export async function stopOrAsk(
  tx: Tx,
  run: { id: string; status: string },
  o: { to: "paused" | "cancelled"; request: "pauseRequested" | "cancelRequested"; detail: string },
): Promise<void> {
  const settled =
    run.status === "queued" &&
    (await applyTransition(tx, { runId: run.id, from: "queued", to: o.to, lease: "unleased", detail: o.detail }));
  // The queued transition can lose a race with a worker taking the run: then the request reaches that worker.
  if (!settled) {
    await tx.syncRun.updateMany({
      where: { id: run.id, status: { in: [...STOPPABLE] } },
      data: { [o.request]: true },
    });
  }
}

// The live view's RunObserver: turns the engine's hooks into socket.io events for the sync's room.
//   run:status    on every transition the engine makes on this worker
//   run:progress  after each transition, and at most every PROGRESS_INTERVAL_MS while batches flow;
//                 counters come from the run's row (every worker's batches add up there), status from the hooks
//   run:event     each sampled record of a batch, capped per run and second (the excess is counted as dropped)
// Emissions that read the database go out one after another per run, so a browser never sees a run step
// back. Observers must not block the engine: hooks only queue work and return.
import { randomBytes } from "node:crypto";
import type { LiveRunEvent, LiveServerEventName, LiveServerToClientEvents } from "@sluice/contracts/live";
import { isRunFinished, type RunStatus } from "@sluice/contracts/run-view";
import type { Logger } from "@sluice/core/log";
import type { BatchEvent, BatchSample, RunObserver } from "@sluice/core/runs/observer";
import type { Db } from "@sluice/db";
import { boundedJson } from "./bounded-json";
import { type RunFlow, readRunRow, toLiveRunState } from "./read-run-state";
import { type RunFlowLimits, RunFlowMeter } from "./run-flow";

export type LivePayload<E extends LiveServerEventName> = Parameters<LiveServerToClientEvents[E]>[0];
/** Sends an event to every browser watching the sync (through the adapter: on every worker). */
export type LiveEmit = <E extends LiveServerEventName>(syncId: string, event: E, payload: LivePayload<E>) => void;

export const DEFAULT_FLOW_LIMITS: RunFlowLimits = { maxEventsPerSecond: 50, bufferSize: 200, rateWindowMs: 5_000 };
const PROGRESS_INTERVAL_MS = 500;
/** A finished run's buffer stays this long, for pages reloaded right after it ended. */
const RETAIN_FINISHED_MS = 15 * 60_000;
const MAX_TRACKED_RUNS = 200;
/** Bytes of JSON kept per sampled payload and per response. */
const EVENT_PART_BYTES = 16 * 1024;

export interface RunPublisherOptions {
  db: Db;
  log: Logger;
  emit: LiveEmit;
  limits?: Partial<RunFlowLimits>;
  progressIntervalMs?: number;
  now?: () => number;
}

export interface RunPublisher {
  observer: RunObserver;
  /** This worker's buffered events of the run, oldest first (empty when it never executed it). */
  recentEvents(runId: string): LiveRunEvent[];
  /** This worker's measurements of the run, when it executes (or executed) it. */
  flow(runId: string): RunFlow | undefined;
  /** Resolves once every queued emission went out. */
  idle(): Promise<void>;
  /** Stops publishing and clears timers. */
  close(): void;
}

interface TrackedRun {
  runId: string;
  status?: RunStatus;
  meter: RunFlowMeter;
  chain: Promise<void>;
  lastProgressAt: number;
  progressTimer?: NodeJS.Timeout;
  finishedAt?: number;
}

export function createRunPublisher(o: RunPublisherOptions): RunPublisher {
  const now = o.now ?? Date.now;
  const limits = { ...DEFAULT_FLOW_LIMITS, ...o.limits };
  const progressIntervalMs = o.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
  const runs = new Map<string, TrackedRun>();
  const idPrefix = randomBytes(4).toString("hex");
  let nextEventId = 0;
  let closed = false;

  function track(runId: string): TrackedRun {
    let run = runs.get(runId);
    if (run) return run;
    prune();
    run = { runId, meter: new RunFlowMeter(limits), chain: Promise.resolve(), lastProgressAt: 0 };
    runs.set(runId, run);
    return run;
  }

  function prune(): void {
    const t = now();
    for (const [id, run] of runs) if (run.finishedAt !== undefined && t - run.finishedAt > RETAIN_FINISHED_MS) runs.delete(id);
    // Oldest first (insertion order); runs in flight are kept unless the map is full of them.
    for (const [id, run] of runs) {
      if (runs.size < MAX_TRACKED_RUNS) break;
      if (run.finishedAt !== undefined || runs.size >= MAX_TRACKED_RUNS * 2) runs.delete(id);
    }
  }

  /** Queues a database read and its emissions behind the run's earlier ones. */
  function enqueue(run: TrackedRun, work: () => Promise<void>): void {
    if (closed) return;
    run.chain = run.chain
      .then(work)
      .catch((error: unknown) => o.log.warn({ err: error, runId: run.runId }, "live view: publishing failed"));
  }

  /** Emits run:progress with the status the hooks reported when it was queued (never ahead of a status event). */
  function queueProgress(run: TrackedRun, before?: (syncId: string) => void): void {
    run.lastProgressAt = now();
    const status = run.status;
    enqueue(run, async () => {
      const row = await readRunRow(o.db, run.runId);
      if (!row) return; // deleted with its sync
      before?.(row.syncId);
      o.emit(row.syncId, "run:progress", toLiveRunState(row, run.meter.flow(now()), { status, now: new Date(now()) }));
    });
  }

  function scheduleProgress(run: TrackedRun): void {
    if (run.progressTimer || closed) return;
    const wait = run.lastProgressAt + progressIntervalMs - now();
    if (wait <= 0) {
      queueProgress(run);
      return;
    }
    run.progressTimer = setTimeout(() => {
      run.progressTimer = undefined;
      queueProgress(run);
    }, wait);
    run.progressTimer.unref?.();
  }

  function toEvent(e: BatchEvent, sample: BatchSample, at: number): LiveRunEvent {
    return {
      id: `${idPrefix}-${++nextEventId}`,
      syncId: e.syncId,
      runId: e.runId,
      at: new Date(at).toISOString(),
      key: sample.key,
      payload: boundedJson(sample.payload, EVENT_PART_BYTES),
      response: boundedJson(sample.response, EVENT_PART_BYTES),
      outcome: sample.outcome,
      latencyMs: sample.latencyMs,
    };
  }

  const observer: RunObserver = {
    onTransition(runId, from, to) {
      const run = track(runId);
      const t = now();
      run.status = to;
      if (to === "delivering") run.meter.startFlowing(t);
      else run.meter.stopFlowing();
      if (isRunFinished(to)) {
        run.finishedAt = t;
        clearTimeout(run.progressTimer);
        run.progressTimer = undefined;
      }
      const at = new Date(t).toISOString();
      queueProgress(run, (syncId) => o.emit(syncId, "run:status", { syncId, runId, from, to, at }));
    },
    onBatch(e) {
      const run = track(e.runId);
      const t = now();
      // Batches flow only while delivering. A run the control plane resumed (paused → delivering) made no
      // transition on this worker, whose last known status would otherwise still read "paused".
      if (run.status !== undefined && run.status !== "delivering") run.status = "delivering";
      run.meter.addBatch(t, e.records, e.latencyMs, e.throttledMs);
      if (!closed) {
        for (const sample of e.sample) {
          const event = toEvent(e, sample, t);
          if (run.meter.admitEvent(t, event)) o.emit(e.syncId, "run:event", event);
        }
      }
      scheduleProgress(run);
    },
  };

  return {
    observer,
    recentEvents: (runId) => runs.get(runId)?.meter.recentEvents() ?? [],
    flow: (runId) => runs.get(runId)?.meter.flow(now()),
    async idle() {
      // A chain may grow while we wait (a timer fires): wait until none changed.
      for (;;) {
        const chains = [...runs.values()].map((r) => r.chain);
        await Promise.all(chains);
        if ([...runs.values()].every((r, i) => r.chain === chains[i] && !r.progressTimer)) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close() {
      closed = true;
      for (const run of runs.values()) clearTimeout(run.progressTimer);
      for (const run of runs.values()) run.progressTimer = undefined;
    },
  };
}

// Consumes the run queue (graphile-worker, in the control-plane database): each `sync-run` job executes or
// resumes one run through the engine's executeRun. Draining aborts every executeRun through its signal —
// the engine finishes the batch in flight, writes its checkpoint and releases the lease, leaving the run
// for another worker (the reaper re-enqueues it) — then stops graphile-worker.
import { SYNC_RUN_TASK, SyncRunJobPayload } from "@sluice/contracts/jobs";
import type { Services } from "@sluice/core/context";
import type { Logger } from "@sluice/core/log";
import { executeRun } from "@sluice/core/runs/execute-run";
import type { RunObserver } from "@sluice/core/runs/observer";
import { Logger as GraphileLogger, type Runner, run, type TaskList } from "graphile-worker";
import type { WorkerMetrics } from "./metrics";

export interface QueueRunnerOptions {
  services: Services;
  databaseUrl: string;
  /** Jobs (runs) executed at once by this process. */
  concurrency: number;
  leaseTtlMs: number;
  /** Lease owner name of this process, e.g. host:pid:random. */
  workerId: string;
  metrics?: WorkerMetrics;
  /** Another observer (live view, tests), called after the metrics one. */
  observer?: RunObserver;
  /** The live view's publisher, called last. */
  liveObserver?: RunObserver;
  /** Fallback polling for jobs whose run_at comes due (new jobs arrive by LISTEN/NOTIFY at once). */
  pollIntervalMs?: number;
}

export interface QueueRunner {
  /** Runs being executed now. */
  active(): number;
  /** Aborts every run in flight (they checkpoint and release their leases), then stops taking jobs. */
  stop(): Promise<void>;
}

export async function startQueueRunner(o: QueueRunnerOptions): Promise<QueueRunner> {
  const { log } = o.services;
  const drain = new AbortController();
  const observer = combineObservers(log, [o.metrics?.observer, o.observer, o.liveObserver]);
  let active = 0;

  const taskList: TaskList = {
    [SYNC_RUN_TASK]: async (payload, helpers) => {
      const { runId } = SyncRunJobPayload.parse(payload);
      // Picked up while draining: fail the attempt so the job is retried, by another worker or after a restart.
      if (drain.signal.aborted) throw new Error("worker is shutting down; the run will be picked up again");
      active++;
      o.metrics?.runStarted();
      const started = performance.now();
      log.info({ runId, jobId: helpers.job.id, attempt: helpers.job.attempts }, "executing run");
      try {
        await executeRun(o.services, {
          runId,
          workerId: o.workerId,
          signal: AbortSignal.any([drain.signal, helpers.abortSignal]),
          observer,
          leaseTtlMs: o.leaseTtlMs,
        });
        log.info({ runId, ms: Math.round(performance.now() - started) }, "run step done");
      } finally {
        active--;
        o.metrics?.runEnded();
      }
    },
  };

  const runner: Runner = await run({
    connectionString: o.databaseUrl,
    maxPoolSize: o.concurrency + 2,
    concurrency: o.concurrency,
    taskList,
    noHandleSignals: true,
    pollInterval: o.pollIntervalMs ?? 2_000,
    // graphile aborts helpers.abortSignal this long after a graceful stop starts; ours is aborted first.
    gracefulShutdownAbortTimeout: 8_000,
    logger: graphileLogger(log),
  });
  runner.promise.catch((error: unknown) => log.error({ err: error }, "the job queue runner stopped with an error"));
  log.info({ concurrency: o.concurrency, workerId: o.workerId }, "job queue runner started");

  let stopping: Promise<void> | undefined;
  return {
    active: () => active,
    stop: () => {
      stopping ??= (async () => {
        drain.abort(new Error("worker shutting down"));
        await runner.stop("worker shutting down");
      })();
      return stopping;
    },
  };
}

function combineObservers(log: Logger, observers: (RunObserver | undefined)[]): RunObserver {
  const list = observers.filter((x): x is RunObserver => x !== undefined);
  const each = (call: (x: RunObserver) => void) => {
    for (const x of list) {
      try {
        call(x);
      } catch (error) {
        log.warn({ err: error }, "run observer threw; ignored");
      }
    }
  };
  return {
    onTransition: (runId, from, to) => each((x) => x.onTransition?.(runId, from, to)),
    onBatch: (e) => each((x) => x.onBatch?.(e)),
    onRunFinished: (e) => each((x) => x.onRunFinished?.(e)),
  };
}

/** graphile-worker's log lines through our logger; its chatty info lines at debug. */
function graphileLogger(log: Logger): GraphileLogger {
  const child = log.child({ component: "graphile-worker" });
  return new GraphileLogger(() => (level, message, meta) => {
    const fields = meta && Object.keys(meta).length ? { meta } : {};
    if (level === "error") child.error(fields, message);
    else if (level === "warning") child.warn(fields, message);
    else child.debug(fields, message);
  });
}

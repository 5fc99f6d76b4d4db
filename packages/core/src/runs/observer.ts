// Hooks for whoever watches runs (the worker's Prometheus metrics, the live view). Observers must not
// throw into the engine: every call goes through notifyObserver(), which swallows and logs their errors.
import type { RunStatus } from "@sluice/contracts/run-view";
import type { Logger } from "../log";

export interface BatchSample {
  key: Record<string, unknown>;
  payload: unknown;
  response: unknown;
  outcome: "delivered" | "rejected" | "failed";
  latencyMs: number;
}

export interface BatchEvent {
  runId: string;
  syncId: string;
  records: number;
  outcomes: { delivered: number; rejected: number; failed: number };
  latencyMs: number;
  /** Time the batch waited on the destination's rate budget, concurrency and 429s (when the driver reports it). */
  throttledMs?: number;
  sample: BatchSample[];
}

export interface RunObserver {
  onTransition?(runId: string, from: RunStatus | null, to: RunStatus): void;
  onBatch?(e: BatchEvent): void;
  /** A run reached succeeded, failed or cancelled. */
  onRunFinished?(e: { runId: string; status: RunStatus; durationMs: number }): void;
}

export function notifyObserver(log: Logger, call: () => void): void {
  try {
    call();
  } catch (error) {
    log.warn({ err: error }, "run observer threw; ignored");
  }
}

// What the steps of one executing run share: services, the held lease, the plan and the open connections.

import type { RetryPolicy } from "@sluice/connectors/kit/retry";
import { isWarehouseError } from "@sluice/connectors/kit/warehouse";
import type { Services } from "../context";
import type { Logger } from "../log";
import type { RunLease } from "./lease";
import type { RunObserver } from "./observer";
import type { RunPlan } from "./plan-run";
import type { RunRef } from "./record-outcomes";
import type { OpenDestination, OpenWarehouse } from "./run-connections";
import { errorMessage, LeaseLost, RunFailure } from "./run-errors";

export interface RunContext {
  s: Services;
  log: Logger;
  run: RunRef;
  plan: RunPlan;
  lease: RunLease;
  /** Aborts on shutdown (SIGTERM) or when the lease is lost: cuts delivery retries short. */
  signal: AbortSignal;
  /** The caller's signal alone (shutdown): the run stops at the next checkpoint, status unchanged. */
  shutdown?: AbortSignal;
  observer?: RunObserver;
  retry?: RetryPolicy;
  warehouse: OpenWarehouse;
  destination: OpenDestination;
}

/**
 * Runs a warehouse call; its errors end the run (unreachable warehouse, invalid model SQL, missing column)
 * with a message naming the step and the warehouse — unless the lease was lost meanwhile.
 */
export async function inWarehouse<T>(
  rc: Pick<RunContext, "lease" | "warehouse">,
  step: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (rc.lease.lost) throw new LeaseLost(rc.lease.runId);
    throw warehouseFailure(rc.warehouse.name, step, error);
  }
}

export function warehouseFailure(warehouse: string, step: string, error: unknown): RunFailure {
  const message = errorMessage(error);
  if (isWarehouseError(error) && error.kind === "connection") {
    return new RunFailure(`warehouse "${warehouse}" became unreachable while ${step}: ${message}`, { cause: error });
  }
  return new RunFailure(`${step} failed in warehouse "${warehouse}": ${message}`, { cause: error });
}

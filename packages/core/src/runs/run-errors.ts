// How a run stops early. A RunFailure is final (the run fails with its message: retrying cannot help);
// LeaseLost means another worker owns the run now, so this one must stop without writing anything.
// Any other error is treated as transient: it bubbles so the queue retries the job, which resumes the
// run from its persisted state.

export class RunFailure extends Error {
  override name = "RunFailure";
}

export class LeaseLost extends Error {
  override name = "LeaseLost";
  constructor(runId: string) {
    super(`run ${runId}: this worker no longer holds the lease; another worker owns the run`);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

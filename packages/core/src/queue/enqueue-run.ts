// Adds (or refreshes) the job that executes a run. Called inside the caller's transaction, so the job
// exists exactly when the state change that needs it is committed. The job key `run:<id>` dedupes: a
// waiting job is replaced, never doubled; a job already running gets a successor, and the run's lease
// keeps the two from working at once.
import { JOB_CATALOG, SYNC_RUN_TASK } from "@sluice/contracts/jobs";
import type { Tx } from "@sluice/db";

export async function enqueueRun(tx: Tx, runId: string): Promise<void> {
  const job = JOB_CATALOG[SYNC_RUN_TASK];
  const jobKey = job.jobKey({ runId });
  await tx.$executeRaw`select 1 from graphile_worker.add_job(
    ${SYNC_RUN_TASK}::text,
    json_build_object('runId', ${runId}::text),
    job_key := ${jobKey}::text,
    max_attempts := ${job.maxAttempts}::int
  )`;
}

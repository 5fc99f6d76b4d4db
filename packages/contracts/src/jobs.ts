// The job catalog: every background job's name, zod payload and retry policy, in one place, so the
// producer (enqueueRun) and the consumer (the worker's task list) cannot drift apart.
import { z } from "zod";

export const SYNC_RUN_TASK = "sync-run";

export const SyncRunJobPayload = z.object({ runId: z.string().min(1) });
export type SyncRunJobPayload = z.infer<typeof SyncRunJobPayload>;

export interface JobDefinition<P extends z.ZodType = z.ZodType> {
  payload: P;
  description: string;
  /** Attempts before the queue gives up; a run's own state machine decides what a retry resumes. */
  maxAttempts: number;
  /** Deduplication key: a second enqueue of the same key while the job waits is a no-op. */
  jobKey: (payload: never) => string;
}

export const JOB_CATALOG = {
  [SYNC_RUN_TASK]: {
    payload: SyncRunJobPayload,
    description: "Executes (or resumes) one sync run from its persisted state and checkpoint.",
    maxAttempts: 25,
    jobKey: (p: SyncRunJobPayload) => `run:${p.runId}`,
  },
} as const satisfies Record<string, JobDefinition<z.ZodType>>;

export type JobName = keyof typeof JOB_CATALOG;

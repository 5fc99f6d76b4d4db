// The worker's environment, as a zod object with no side effects (docker-compose.test.ts reads its keys).
import { controlPlaneEnvFields, emptyAsUndefined } from "@sluice/db/env-fields";
import { z } from "zod";

export const workerEnvSchema = z.object({
  ...controlPlaneEnvFields,
  /** Port of the worker's health endpoint (GET /health). */
  SLUICE_WORKER_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3001)),
  /** Sync runs one worker process executes at once. */
  SLUICE_WORKER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(64).default(4)),
  /** How long a run's lease lasts without a heartbeat (renewed every third of it); a dead worker's runs move on after it. */
  SLUICE_LEASE_TTL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).max(600_000).default(30_000)),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Parses an environment; on failure returns the first problem as one line naming the variable. */
export function parseWorkerEnv(
  source: Record<string, string | undefined>,
): { ok: true; env: WorkerEnv } | { ok: false; message: string } {
  const result = workerEnvSchema.safeParse(source);
  if (result.success) return { ok: true, env: result.data };
  const issue = result.error.issues[0];
  const name = issue?.path.join(".") || "environment";
  const message = issue?.message ?? "invalid value";
  return { ok: false, message: message.startsWith(name) ? message : `${name}: ${message}` };
}

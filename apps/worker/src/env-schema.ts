// The worker's environment, as a zod object with no side effects (docker-compose.test.ts reads its keys).
import { controlPlaneEnvFields, emptyAsUndefined, publicUrlField, workerPortField } from "@sluice/db/env-fields";
import { z } from "zod";

export const workerEnvSchema = z.object({
  ...controlPlaneEnvFields,
  /** Port of the worker's health endpoint (GET /health), metrics (/metrics) and live view (/live). */
  SLUICE_WORKER_PORT: workerPortField,
  /** The control plane's URL: the live view accepts browsers from its origin (default http://localhost:3000). */
  SLUICE_PUBLIC_URL: publicUrlField.transform((v) => (v ?? "http://localhost:3000").replace(/\/+$/, "")),
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

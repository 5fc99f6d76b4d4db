// The worker's environment, as a zod object with no side effects (docker-compose.test.ts reads its keys).
import { parseEncryptionKey } from "@sluice/db/crypto";
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

export const workerEnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is required (e.g. postgresql://user:password@localhost:5432/sluice)" })
    .refine(
      (v) => /^postgres(ql)?:\/\/[^/]/.test(v),
      "DATABASE_URL must be a postgresql:// URL (e.g. postgresql://user:pw@host:5432/sluice)",
    ),
  SLUICE_ENCRYPTION_KEY: z
    .string({ error: "SLUICE_ENCRYPTION_KEY is required: 32 random bytes as hex or base64 (openssl rand -base64 32)" })
    .superRefine((value, ctx) => {
      try {
        parseEncryptionKey(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      }
    }),
  SLUICE_ENCRYPTION_KEY_PREVIOUS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((v) =>
        (v ?? "")
          .split(",")
          .map((k) => k.trim())
          .filter(Boolean),
      ),
  ),
  /** Port of the worker's health endpoint (GET /health). */
  SLUICE_WORKER_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3001)),
  /** Sync runs one worker process executes at once. */
  SLUICE_WORKER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(64).default(4)),
  /** How long a run's lease lasts without a heartbeat (renewed every third of it); a dead worker's runs move on after it. */
  SLUICE_LEASE_TTL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).max(600_000).default(30_000)),
  SLUICE_ALLOW_PRIVATE_DESTINATIONS: z.preprocess(
    emptyAsUndefined,
    z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
  ),
  /** Postgres database holding the demo warehouse (defaults to DATABASE_URL). */
  SLUICE_DEMO_DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
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

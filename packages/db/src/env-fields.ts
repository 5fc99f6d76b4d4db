// Environment variables every process on the control plane reads (web and worker), as zod fields to
// spread into each app's env schema, so their names, defaults and error messages are defined once.
import { z } from "zod";
import { parseEncryptionKey } from "./crypto";

/** An empty variable counts as unset (compose files and shells often pass `VAR=`). */
export const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

/** Where browsers reach the control plane (web); the worker's live view accepts browsers from its origin. */
export const publicUrlField = z.preprocess(
  emptyAsUndefined,
  z.url("SLUICE_PUBLIC_URL must be a URL like https://sluice.example.com").optional(),
);

export const DEFAULT_WORKER_PORT = 3001;
/** Port of the worker's HTTP server: health (/health), metrics (/metrics) and the live view (/live). */
export const workerPortField = z.preprocess(
  emptyAsUndefined,
  z.coerce.number().int().min(0).max(65535).default(DEFAULT_WORKER_PORT),
);

export const controlPlaneEnvFields = {
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
      )
      .superRefine((keys, ctx) => {
        for (const key of keys) {
          try {
            parseEncryptionKey(key, "SLUICE_ENCRYPTION_KEY_PREVIOUS");
          } catch (error) {
            ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
          }
        }
      }),
  ),
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
};

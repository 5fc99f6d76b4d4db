// The environment `npm start` accepts, validated before anything slow happens. Every message names the
// variable, what is wrong with it, and how to fix it, on one line.

import { z } from "zod";
import { parseEncryptionKey } from "../../packages/db/src/crypto";
import { StartupError } from "./startup-error";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Undefined when `url` is a usable PostgreSQL URL, else a one-line explanation naming `variable`. */
export function describeBadDatabaseUrl(url: string, variable = "DATABASE_URL"): string | undefined {
  const fix = `use postgresql://user:password@host:5432/database${variable === "DATABASE_URL" ? ", or unset it to use the embedded database" : ""}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${variable} is not a valid URL — ${fix}`;
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    return `${variable} must be a PostgreSQL URL starting with postgresql:// (got ${parsed.protocol}//…) — ${fix}`;
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) return `${variable} has no host — ${fix}`;
  return undefined;
}

const postgresUrl = (variable: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = describeBadDatabaseUrl(value, variable);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const port = (variable: string, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.unknown().transform((v, ctx) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        ctx.addIssue({
          code: "custom",
          message: `${variable} must be a port number between 1 and 65535 (got "${String(v)}") — e.g. ${variable}=${fallback + 5} npm start`,
        });
        return z.NEVER;
      }
      return n;
    }),
  );

export const startEnvSchema = z.object({
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl("DATABASE_URL").optional()),
  SLUICE_DEMO_DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl("SLUICE_DEMO_DATABASE_URL").optional()),
  SLUICE_ENCRYPTION_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .superRefine((value, ctx) => {
        try {
          parseEncryptionKey(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
        }
      })
      .optional(),
  ),
  SLUICE_ENCRYPTION_KEY_PREVIOUS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .superRefine((value, ctx) => {
        for (const key of value.split(",").filter((k) => k.trim() !== "")) {
          try {
            parseEncryptionKey(key, "SLUICE_ENCRYPTION_KEY_PREVIOUS");
          } catch (error) {
            ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
            return;
          }
        }
      })
      .optional(),
  ),
  SLUICE_AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(
        32,
        "SLUICE_AUTH_SECRET must be at least 32 characters — make one with: openssl rand -base64 32 (or unset it to use a generated one)",
      )
      .optional(),
  ),
  SLUICE_PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ error: "SLUICE_PUBLIC_URL must be a URL such as https://sluice.example.com (or unset it)" }).optional(),
  ),
  SLUICE_ALLOW_PRIVATE_DESTINATIONS: z.preprocess(
    emptyAsUndefined,
    z.enum(["true", "false"], { error: 'SLUICE_ALLOW_PRIVATE_DESTINATIONS must be "true" or "false" (or unset it)' }).optional(),
  ),
  SLUICE_HOME: z.preprocess(emptyAsUndefined, z.string().optional()),
  PORT: port("PORT", 3000),
  SLUICE_WORKER_PORT: port("SLUICE_WORKER_PORT", 3001),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (or unset it)",
      })
      .optional(),
  ),
});

export type StartEnv = z.infer<typeof startEnvSchema>;

/** Validates the environment; throws a StartupError with the first problem, on one line. */
export function parseStartEnv(source: Record<string, string | undefined>): StartEnv {
  const result = startEnvSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path.join(".") ?? "environment";
    const message = (issue?.message ?? "invalid value").replace(/\s*\n\s*/g, " ");
    throw new StartupError(message.includes(variable) ? message : `${variable}: ${message}`);
  }
  if (result.data.PORT === result.data.SLUICE_WORKER_PORT) {
    throw new StartupError(
      `PORT and SLUICE_WORKER_PORT are both ${result.data.PORT} — give the worker another port, e.g. SLUICE_WORKER_PORT=${result.data.PORT + 1} npm start`,
    );
  }
  return result.data;
}

// The web app's environment, as a zod object with no side effects (the compose test reads its keys).
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

export const webEnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is required (e.g. postgresql://user:password@localhost:5432/sluice)" })
    .refine(
      (v) => /^postgres(ql)?:\/\//.test(v),
      "DATABASE_URL must start with postgresql:// (e.g. postgresql://user:pw@host:5432/sluice)",
    ),
  SLUICE_ENCRYPTION_KEY: z
    .string({ error: "SLUICE_ENCRYPTION_KEY is required: 32 random bytes as hex or base64 (openssl rand -base64 32)" })
    .min(1),
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
  SLUICE_AUTH_SECRET: z
    .string({ error: "SLUICE_AUTH_SECRET is required: a random string of at least 32 characters (openssl rand -base64 32)" })
    .min(32, "SLUICE_AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)"),
  /** Where browsers reach the app; defaults to http://localhost:<PORT>. Auth only accepts requests from this origin. */
  SLUICE_PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url("SLUICE_PUBLIC_URL must be a URL like https://sluice.example.com").optional(),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  SLUICE_DEMO_DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
  SLUICE_ALLOW_PRIVATE_DESTINATIONS: z.preprocess(
    emptyAsUndefined,
    z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
});

export type WebEnv = Omit<z.infer<typeof webEnvSchema>, "SLUICE_PUBLIC_URL"> & { SLUICE_PUBLIC_URL: string };

/** Fills the defaults that depend on other variables. */
export function resolveWebEnv(raw: z.infer<typeof webEnvSchema>): WebEnv {
  return { ...raw, SLUICE_PUBLIC_URL: (raw.SLUICE_PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "") };
}

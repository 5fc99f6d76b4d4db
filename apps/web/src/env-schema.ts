// The web app's environment, as a zod object with no side effects (the compose test reads its keys).
import { controlPlaneEnvFields, emptyAsUndefined } from "@sluice/db/env-fields";
import { z } from "zod";

export const webEnvSchema = z.object({
  ...controlPlaneEnvFields,
  SLUICE_AUTH_SECRET: z
    .string({ error: "SLUICE_AUTH_SECRET is required: a random string of at least 32 characters (openssl rand -base64 32)" })
    .min(32, "SLUICE_AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)"),
  /** Where browsers reach the app; defaults to http://localhost:<PORT>. Auth only accepts requests from this origin. */
  SLUICE_PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url("SLUICE_PUBLIC_URL must be a URL like https://sluice.example.com").optional(),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
});

export type WebEnv = Omit<z.infer<typeof webEnvSchema>, "SLUICE_PUBLIC_URL"> & { SLUICE_PUBLIC_URL: string };

/** Fills the defaults that depend on other variables. */
export function resolveWebEnv(raw: z.infer<typeof webEnvSchema>): WebEnv {
  return { ...raw, SLUICE_PUBLIC_URL: (raw.SLUICE_PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "") };
}

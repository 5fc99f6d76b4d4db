// The web app's environment, as a zod object with no side effects (the compose test reads its keys).
import { controlPlaneEnvFields, emptyAsUndefined, publicUrlField, workerPortField } from "@sluice/db/env-fields";
import { z } from "zod";

export const webEnvSchema = z.object({
  ...controlPlaneEnvFields,
  SLUICE_AUTH_SECRET: z
    .string({ error: "SLUICE_AUTH_SECRET is required: a random string of at least 32 characters (openssl rand -base64 32)" })
    .min(32, "SLUICE_AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)"),
  /** Where browsers reach the app; defaults to http://localhost:<PORT>. Auth only accepts requests from this origin. */
  SLUICE_PUBLIC_URL: publicUrlField,
  /**
   * Where browsers reach a worker's live view (socket.io on its port, path /live); sent with each live token.
   * Defaults to the public URL's host on SLUICE_WORKER_PORT. Any worker will do: they share events.
   */
  SLUICE_WORKER_PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url("SLUICE_WORKER_PUBLIC_URL must be a URL like https://live.sluice.example.com").optional(),
  ),
  /** The worker's port, for the default SLUICE_WORKER_PUBLIC_URL. */
  SLUICE_WORKER_PORT: workerPortField,
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
});

export type WebEnv = Omit<z.infer<typeof webEnvSchema>, "SLUICE_PUBLIC_URL" | "SLUICE_WORKER_PUBLIC_URL"> & {
  SLUICE_PUBLIC_URL: string;
  SLUICE_WORKER_PUBLIC_URL: string;
};

/** Fills the defaults that depend on other variables. */
export function resolveWebEnv(raw: z.infer<typeof webEnvSchema>): WebEnv {
  const publicUrl = (raw.SLUICE_PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
  const { protocol, hostname } = new URL(publicUrl);
  const workerUrl = raw.SLUICE_WORKER_PUBLIC_URL ?? `${protocol}//${hostname}:${raw.SLUICE_WORKER_PORT}`;
  return { ...raw, SLUICE_PUBLIC_URL: publicUrl, SLUICE_WORKER_PUBLIC_URL: workerUrl.replace(/\/+$/, "") };
}

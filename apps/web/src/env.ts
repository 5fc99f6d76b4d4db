// Parses the environment once, on first use; `process.env` is read nowhere else in the web app.
// Lazy so `next build` can analyse routes without a runtime environment; instrumentation.ts checks it at boot.
import "server-only";
import { resolveWebEnv, type WebEnv, webEnvSchema } from "./env-schema";

let parsed: WebEnv | undefined;

function fail(line: string): never {
  console.error(`sluice web: invalid environment: ${line}`);
  process.exit(1);
}

export function loadEnv(): WebEnv {
  if (parsed) return parsed;
  const result = webEnvSchema.safeParse(process.env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue?.path.join(".") || "environment";
    const message = issue?.message ?? "invalid value";
    fail(message.startsWith(name) ? message : `${name}: ${message}`);
  }
  parsed = resolveWebEnv(result.data);
  return parsed;
}

export const env: WebEnv = new Proxy({} as WebEnv, {
  get: (_target, key) => loadEnv()[key as keyof WebEnv],
});

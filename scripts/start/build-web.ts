// Builds the web app only when its inputs changed: turbo hashes apps/web and every packages/* source and
// the Prisma schema (see turbo.json) and, on a hit, restores .next from its local cache (.turbo/cache).
import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../../packages/db/src/home";
import { StartupError } from "./startup-error";

export async function buildWeb(o: {
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  signal?: AbortSignal;
}): Promise<{ cached: boolean; ms: number }> {
  const started = performance.now();
  o.say("Checking the web app build (builds only when the sources changed; the first build takes about a minute)…");
  const turbo = path.join(PROJECT_ROOT, "node_modules", ".bin", "turbo");
  const child = spawn(turbo, ["run", "build", "--filter=@sluice/web", "--output-logs=new-only", "--log-prefix=none"], {
    cwd: PROJECT_ROOT,
    env: {
      ...o.env,
      TURBO_TELEMETRY_DISABLED: "1",
      TURBO_NO_UPDATE_NOTIFIER: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
    signal: o.signal,
    killSignal: "SIGTERM",
  });
  let output = "";
  const relay = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split("\n")) if (line.trim() !== "") process.stdout.write(`  │ ${line}\n`);
  };
  child.stdout.on("data", relay);
  child.stderr.on("data", relay);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", (error) => (o.signal?.aborted ? resolve(null) : reject(error)));
    child.on("close", resolve);
  });
  const ms = Math.round(performance.now() - started);
  if (o.signal?.aborted) return { cached: false, ms };
  if (code !== 0) {
    throw new StartupError(
      `The web app failed to build (turbo exited ${code}; its output is above) — fix the error, or run npm run build for the full log`,
    );
  }
  const cached = /cache hit|FULL TURBO/i.test(output);
  o.say(
    cached ? `Web app build is up to date (${(ms / 1000).toFixed(1)} s)` : `Built the web app in ${(ms / 1000).toFixed(1)} s`,
  );
  return { cached, ms };
}

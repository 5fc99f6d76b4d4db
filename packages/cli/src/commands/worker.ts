// `sluice worker`: one worker process (apps/worker) in the foreground, on the same control plane the CLI
// resolves. The worker is spawned, not imported — nothing imports from apps/ — and signals are passed on,
// so Ctrl-C / SIGTERM drain it gracefully.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { PROJECT_ROOT } from "@sluice/db/home";
import { openRuntime } from "../session";

export const WORKER_ENTRY = path.join(PROJECT_ROOT, "apps", "worker", "src", "main.ts");

export async function workerCommand(): Promise<number> {
  const config = await openRuntime();
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  const child = spawn(process.execPath, [tsx, WORKER_ENTRY], {
    stdio: "inherit",
    env: { ...process.env, ...config.childEnv },
    cwd: PROJECT_ROOT,
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onTerm = forward("SIGTERM");
  const onInt = forward("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  const code = await new Promise<number>((resolve) => {
    child.on("error", () => resolve(1));
    child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 15 : 1)));
  });
  process.off("SIGTERM", onTerm);
  process.off("SIGINT", onInt);
  await config.stop();
  return code;
}

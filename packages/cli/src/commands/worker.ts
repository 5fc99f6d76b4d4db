// `sluice worker`: one worker process (apps/worker) in the foreground, on the same control plane the CLI
// resolves. The worker is spawned, not imported — nothing imports from apps/ — and signals are passed on,
// so Ctrl-C / SIGTERM drain it gracefully.
import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "@sluice/db/home";
import { openRuntime } from "../session";

export const WORKER_ENTRY = path.join(PROJECT_ROOT, "apps", "worker", "src", "main.ts");

export async function workerCommand(): Promise<number> {
  const config = await openRuntime();
  // `node --import tsx`, not the tsx CLI: the tsx CLI is a second process that force-kills its child when
  // it sees a signal twice (Ctrl-C reaches it from the terminal and from us), which would skip the drain.
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_ENTRY], {
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

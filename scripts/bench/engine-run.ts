// Runs one engine run (executeRun) in a child process and measures it from outside: the child's peak
// RSS (VmHWM in /proc/<pid>/status, read before it exits) next to what the child reports itself.
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ENGINE_RUN_TIMEOUT_MS } from "./config";
import { readVmHwmKb } from "./proc";
import type { ChildMessage, ChildReport } from "./run-engine-child";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface EngineRunResult extends ChildReport {
  vmHwmKb: number | undefined;
}

export async function runEngineInChild(o: {
  controlUrl: string;
  encryptionKey: string;
  runId: string;
}): Promise<EngineRunResult> {
  // BENCH_CPU_PROFILE=<dir>: the child writes a V8 CPU profile there (open it in Chrome DevTools).
  const profileDir = process.env.BENCH_CPU_PROFILE;
  // BENCH_CHILD_FLAGS="--trace-gc …": extra node flags for the child alone (to study GC or heap settings).
  const extra = process.env.BENCH_CHILD_FLAGS?.trim().split(/\s+/).filter(Boolean) ?? [];
  const child = fork(path.join(HERE, "run-engine-child.ts"), [], {
    execArgv: ["--import", "tsx", ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : []), ...extra],
    env: {
      ...process.env,
      BENCH_CONTROL_URL: o.controlUrl,
      BENCH_ENCRYPTION_KEY: o.encryptionKey,
      BENCH_RUN_ID: o.runId,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  try {
    const message = await new Promise<ChildMessage>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the engine run did not finish within ${ENGINE_RUN_TIMEOUT_MS / 1000} s`)),
        ENGINE_RUN_TIMEOUT_MS,
      );
      child.once("message", (m: ChildMessage) => resolve(m));
      child.once("error", reject);
      child.once("exit", (code, signal) => reject(new Error(`the engine child exited early (code ${code}, signal ${signal})`)));
    });
    if (message.type === "error") throw new Error(`the engine run threw: ${message.message}`);
    return { ...message, vmHwmKb: child.pid ? readVmHwmKb(child.pid) : undefined };
  } finally {
    clearTimeout(timer);
    if (child.connected) child.disconnect();
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
  }
}

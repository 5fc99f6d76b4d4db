// Test-only: the worker as a real child process (`tsx apps/worker/src/main.ts`), to send it real signals.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface WorkerProcess {
  child: ChildProcess;
  /** pid of the node process running main.ts (the one named in leases). */
  pid: number;
  port: number;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole process group (npx/tsx wrappers and the worker itself). */
  signal(sig: NodeJS.Signals): void;
  /** Signals the worker's own process, as an orchestrator signals a container's main process. */
  signalWorker(sig: NodeJS.Signals): void;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts a worker and resolves once it logged "worker ready". `via: "npx"` runs `npx tsx apps/worker/src/main.ts`
 * (as a user would); "node" runs `node --import tsx` so the child's pid is the worker's own.
 */
export async function startWorkerProcess(o: {
  env: Record<string, string>;
  via?: "npx" | "node";
  readyTimeoutMs?: number;
}): Promise<WorkerProcess> {
  const port = await freePort();
  const [cmd, args] =
    o.via === "npx"
      ? ["npx", ["tsx", "apps/worker/src/main.ts"]]
      : [process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"]];
  const child = spawn(cmd as string, args as string[], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: "info", ...o.env, SLUICE_WORKER_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so a signal reaches every process of it
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  let pid: number | undefined;
  while (pid === undefined) {
    const line = out.split("\n").find((l) => l.includes('"worker ready"'));
    if (line) pid = (JSON.parse(line) as { pid: number }).pid;
    else if (child.exitCode !== null) throw new Error(`worker exited before it was ready:\n${out}`);
    else if (Date.now() > deadline) {
      process.kill(-(child.pid as number), "SIGKILL");
      throw new Error(`worker not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    pid,
    port,
    output: () => out,
    exited,
    signal: (sig) => {
      try {
        process.kill(-(child.pid as number), sig);
      } catch {
        // already gone
      }
    },
    signalWorker: (sig) => {
      try {
        process.kill(pid as number, sig);
      } catch {
        // already gone
      }
    },
  };
}

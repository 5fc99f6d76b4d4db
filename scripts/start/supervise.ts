// Runs the web app and the worker as child processes and keeps them together: their output passes through
// (JSON log lines), a child that dies stops everything, and stopping sends SIGTERM, then SIGKILL after
// CHILD_STOP_TIMEOUT_MS. Each child has its own process group so a terminal's Ctrl-C reaches only us, and
// we stop the children in order.
import { type ChildProcess, spawn } from "node:child_process";

export const CHILD_STOP_TIMEOUT_MS = 10_000;

export interface ChildSpec {
  /** Human name used in messages: "web app", "worker". */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  /** `onUnexpectedExit` fires once, for the first child that exits while we are not stopping. */
  constructor(private readonly onUnexpectedExit: (exit: ChildExit) => void) {
    // Last resort if this process dies without stopping them (an uncaught error): don't leave orphans.
    process.once("exit", () => {
      for (const child of this.children.values()) signalGroup(child, "SIGKILL");
    });
  }

  start(spec: ChildSpec): ChildProcess {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    this.children.set(spec.name, child);
    child.on("exit", (code, signal) => {
      this.children.delete(spec.name);
      if (!this.stopping) {
        this.stopping = true;
        this.onUnexpectedExit({ name: spec.name, code, signal });
      }
    });
    child.on("error", () => {
      // spawn failures also emit "exit" (code null) — handled there.
    });
    return child;
  }

  /** SIGTERM to every child, SIGKILL to those still running after `timeoutMs`. Resolves when all exited. */
  async stopAll(timeoutMs = CHILD_STOP_TIMEOUT_MS): Promise<void> {
    this.stopping = true;
    const running = [...this.children.values()];
    await Promise.all(
      running.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => signalGroup(child, "SIGKILL"), timeoutMs);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            signalGroup(child, "SIGTERM");
          }),
      ),
    );
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Polls `url` until it answers 200; false when `timeoutMs` passes or `isAborted()` turns true first. */
export async function waitForHealthy(url: string, o: { timeoutMs: number; isAborted: () => boolean }): Promise<boolean> {
  const deadline = Date.now() + o.timeoutMs;
  while (Date.now() < deadline && !o.isAborted()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

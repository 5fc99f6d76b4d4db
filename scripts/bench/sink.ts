// The parent's handle on the sink process (sink-server.ts): its URL, its record counts, and stopping it.
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SinkMessage, SinkStats } from "./sink-server";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface SinkHandle {
  url: string;
  pid: number;
  stats(): Promise<SinkStats>;
  reset(): void;
  stop(): Promise<void>;
}

export async function startSinkProcess(): Promise<SinkHandle> {
  const child = fork(path.join(HERE, "sink-server.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the sink did not start within 30 s")), START_TIMEOUT_MS);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the sink exited at start (code ${code})`)));
    child.on("message", (m: SinkMessage) => {
      if (m.type !== "ready") return;
      clearTimeout(timer);
      resolve(m.port);
    });
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  child.removeAllListeners("exit");
  return {
    url: `http://127.0.0.1:${port}/ingest`,
    pid: child.pid ?? 0,
    stats: () => askStats(child),
    reset: () => child.send({ type: "reset" }),
    stop: () => stopChild(child),
  };
}

function askStats(child: ChildProcess): Promise<SinkStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the sink did not answer within 10 s")), 10_000);
    const onMessage = (m: SinkMessage) => {
      if (m.type !== "stats") return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(m.stats);
    };
    child.on("message", onMessage);
    child.send({ type: "stats" });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

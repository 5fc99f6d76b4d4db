// One engine run in its own process (started by engine-run.ts with `node --import tsx`), so the
// worker's peak RSS can be read from /proc/<pid>/status while it is still alive. It reports its own
// measurements over IPC, then waits for the parent to read VmHWM and disconnect.
// Env: BENCH_CONTROL_URL, BENCH_ENCRYPTION_KEY, BENCH_RUN_ID.
import { performance } from "node:perf_hooks";
import { executeRun } from "@sluice/core/runs/execute-run";
import { tuneHeapForDelivery } from "@sluice/core/runs/worker-heap";
import { createDb, createKeyring } from "@sluice/db";
import pino from "pino";
import { type CallStat, instrumentConnectors, instrumentDb, Profile } from "./profile";

const MEMORY_SAMPLE_MS = 50;

export interface ChildReport {
  type: "done";
  ms: number;
  /** RSS once the engine's modules are loaded and the client created, before executeRun. */
  rssAtStartKb: number;
  maxRssKb: number;
  /** Largest V8 heap in use / heap reserved / off-heap (external + array buffers) seen, sampled every 50 ms. */
  peakHeapUsedKb: number;
  peakHeapTotalKb: number;
  peakExternalKb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopUtilization: number;
  batches: number;
  calls: CallStat[];
}
export type ChildMessage = ChildReport | { type: "error"; message: string };

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset`);
  return value;
}

async function main(): Promise<ChildReport> {
  tuneHeapForDelivery(); // as the worker does (apps/worker/src/main.ts)
  const profile = new Profile();
  instrumentConnectors(profile);
  const db = createDb(env("BENCH_CONTROL_URL"), { maxConnections: 4 });
  let batches = 0;
  const services = {
    db: instrumentDb(db, profile),
    keyring: createKeyring(env("BENCH_ENCRYPTION_KEY")),
    log: pino({ level: "warn" }, pino.destination(2)),
    allowPrivateDestinations: true, // the sink listens on loopback
  };
  const rssAtStartKb = process.memoryUsage().rss / 1024;
  const peak = { heapUsed: 0, heapTotal: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external + m.arrayBuffers);
  };
  const sampler = setInterval(sample, MEMORY_SAMPLE_MS);
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await executeRun(services, {
    runId: env("BENCH_RUN_ID"),
    workerId: "bench",
    observer: { onBatch: () => void batches++ },
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  sample();
  const used = process.cpuUsage(cpu);
  const loop = performance.eventLoopUtilization(elu);
  await db.$disconnect();
  return {
    type: "done",
    ms,
    rssAtStartKb,
    maxRssKb: process.resourceUsage().maxRSS,
    peakHeapUsedKb: peak.heapUsed / 1024,
    peakHeapTotalKb: peak.heapTotal / 1024,
    peakExternalKb: peak.external / 1024,
    cpuUserMs: used.user / 1000,
    cpuSystemMs: used.system / 1000,
    eventLoopUtilization: loop.utilization,
    batches,
    calls: profile.list(),
  };
}

main().then(
  (report) => process.send?.(report satisfies ChildMessage),
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.send?.({ type: "error", message } satisfies ChildMessage);
  },
);
// Stay alive until the parent has read /proc/<pid>/status and lets go.
process.on("disconnect", () => process.exit(0));

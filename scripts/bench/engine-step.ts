// One measured engine run: trigger it in the control plane, execute it in a child, then print its
// figures — time, records/s, phases from the run's timeline, peak RSS, CPU and where the time went.
import type { RunView } from "@sluice/contracts/run-view";
import { type ControlPlane, phaseDurations, readRun, triggerBenchRun } from "./control-plane";
import { type EngineRunResult, runEngineInChild } from "./engine-run";
import { readCpuMs } from "./proc";
import { callBreakdown, int, line, mb, rate, ratio, secs } from "./report";
import type { SinkHandle } from "./sink";

export interface EngineMeasure {
  result: EngineRunResult;
  run: RunView;
  received: number;
  recordsPerSecond: number;
  sinkCpuMs: number | undefined;
}

export async function measureEngineRun(cp: ControlPlane, sink: SinkHandle, syncId: string): Promise<EngineMeasure> {
  const runId = await triggerBenchRun(cp.ctx, syncId);
  sink.reset();
  const sinkCpu = readCpuMs(sink.pid);
  const result = await runEngineInChild({ controlUrl: cp.databaseUrl, encryptionKey: cp.encryptionKey, runId });
  const sinkCpuMs = sinkCpu === undefined ? undefined : (readCpuMs(sink.pid) ?? sinkCpu) - sinkCpu;
  const run = await readRun(cp.ctx, runId);
  const received = (await sink.stats()).records;
  if (run.status !== "succeeded") throw new Error(`the engine run ended ${run.status}: ${run.error ?? "no error recorded"}`);
  return { result, run, received, recordsPerSecond: rate(run.counts.delivered, result.ms), sinkCpuMs };
}

export function printEngineRun(m: EngineMeasure, bare?: { label: string; recordsPerSecond: number }): void {
  const { result: r, run } = m;
  const c = run.counts;
  line("run", `${run.status}${run.fullResync ? ` (full: ${run.fullResyncReason})` : " (incremental)"}`);
  line("diff", `${int(c.added)} added, ${int(c.changed)} changed, ${int(c.removed)} removed (planned ${int(c.planned)})`);
  line(
    "delivered / rejected / failed",
    `${int(c.delivered)} / ${int(c.rejected)} / ${int(c.failed)}; sink got ${int(m.received)}`,
  );
  line("executeRun time", secs(r.ms));
  line("records/s (delivered ÷ executeRun time)", int(m.recordsPerSecond));
  if (bare) line(`ratio to ${bare.label}`, ratio(m.recordsPerSecond / bare.recordsPerSecond));
  // "queued" is the child's start-up (loading node, tsx, Prisma) before executeRun: not in the run time.
  const phases = phaseDurations(run).filter((p) => p.status !== "queued");
  line("phases (from the run's timeline)", phases.map((p) => `${p.status} ${secs(p.ms)}`).join(", "));
  const delivering = phases.find((p) => p.status === "delivering")?.ms ?? 0;
  if (delivering > 0) line("records/s in the delivering phase alone", int(rate(c.delivered, delivering)));
  line("peak RSS: VmHWM (/proc) / maxRSS (child)", `${mb(r.vmHwmKb)} / ${mb(r.maxRssKb)} (${mb(r.rssAtStartKb)} before the run)`);
  line("  peak V8 heap used / reserved, off-heap", `${mb(r.peakHeapUsedKb)} / ${mb(r.peakHeapTotalKb)}, ${mb(r.peakExternalKb)}`);
  line(
    "child CPU user+sys / event-loop utilization",
    `${secs(r.cpuUserMs + r.cpuSystemMs)} (${((100 * (r.cpuUserMs + r.cpuSystemMs)) / r.ms).toFixed(0)}% of wall) / ${(100 * r.eventLoopUtilization).toFixed(0)}%${m.sinkCpuMs === undefined ? "" : `; sink process ${secs(m.sinkCpuMs)}`}`,
  );
  line("batches", `${int(r.batches)} (${(delivering / Math.max(1, r.batches)).toFixed(1)} ms per batch while delivering)`);
  line("where the time went (wall, summed per call):", "");
  callBreakdown(r.calls, r.ms);
}

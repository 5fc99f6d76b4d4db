// Printing: step lines, engine run details, machine info and the final summary against the targets.
import os from "node:os";
import type { CallStat } from "./profile";

export const say = (line = "") => console.log(line);

export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mb = (kb: number | undefined) => (kb === undefined ? "n/a" : `${(kb / 1024).toFixed(0)} MB`);
export const ratio = (x: number) => `${x.toFixed(2)}×`;
export const rate = (records: number, ms: number) => (ms > 0 ? (records * 1000) / ms : 0);

export function step(title: string): void {
  say();
  say(`── ${title}`);
}

export function line(label: string, value: string): void {
  say(`   ${label.padEnd(44)} ${value}`);
}

export function machineInfo(server: string): void {
  const cpus = os.cpus();
  say("Machine");
  line("cores", `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}`);
  line("memory", `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB total, ${(os.freemem() / 1024 ** 3).toFixed(1)} GiB free`);
  line("node", process.version);
  line("PostgreSQL", server);
  say("   Caveat: one run on a shared machine; sink, bench, engine and PostgreSQL share these cores, so figures");
  say("   vary by ±10–20% between runs. Compare ratios within one run rather than absolute rates across machines.");
}

/** Per-call breakdown of an engine run (wall time; delivery is sequential so they add up). */
export function callBreakdown(calls: CallStat[], totalMs: number): void {
  for (const c of calls) {
    if (c.ms < 1) continue;
    const share = totalMs > 0 ? `${((100 * c.ms) / totalMs).toFixed(0)}%`.padStart(4) : "";
    line(
      `  ${c.name}`,
      `${secs(c.ms).padStart(9)} ${share}  ${int(c.calls)} calls, ${(c.ms / Math.max(1, c.calls)).toFixed(2)} ms/call`,
    );
  }
}

export interface TargetRow {
  target: string;
  measured: string;
  met: boolean | undefined;
}

export function summary(rows: TargetRow[]): void {
  step("Summary (targets from issue 3, item 11)");
  const width = Math.max(...rows.map((r) => r.target.length));
  for (const r of rows) {
    const verdict = r.met === undefined ? "info" : r.met ? "MET" : "MISSED";
    say(`   ${r.target.padEnd(width)}  ${r.measured.padEnd(40)} ${verdict}`);
  }
}

// Runs as people read them in a terminal. `--json` prints the RunView itself instead.
import type { RunView } from "@sluice/contracts/run-view";

export function describeRun(run: RunView): string[] {
  const lines = [
    `Run ${run.id} of ${run.syncName}: ${run.status}${run.fullResync ? ` (full resync: ${run.fullResyncReason ?? "requested"})` : ""}`,
  ];
  const c = run.counts;
  lines.push(
    `  planned ${c.planned} · added ${c.added} · changed ${c.changed} · removed ${c.removed} · delivered ${c.delivered} · rejected ${c.rejected} · failed ${c.failed}`,
  );
  if (run.startedAt) {
    const took = run.finishedAt ? ` (${formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))})` : "";
    lines.push(`  started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}${took}` : ""}`);
  }
  if (run.error) lines.push(`  error: ${run.error}`);
  return lines;
}

export function runsTable(runs: RunView[]): string[] {
  const rows = runs.map((r) => [
    r.id,
    r.status,
    r.trigger,
    r.createdAt,
    r.startedAt && r.finishedAt ? formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : "",
    `${r.counts.delivered}/${r.counts.rejected}/${r.counts.failed}`,
    r.error ?? "",
  ]);
  const header = ["RUN", "STATUS", "TRIGGER", "CREATED", "TOOK", "DELIVERED/REJECTED/FAILED", "ERROR"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows].map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { testServices } from "./test-fixtures";
import { type RunningWorker, startWorker } from "./worker";

let running: RunningWorker | undefined;
beforeAll(() => ensureQueue(testDatabaseUrl()));
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("worker /metrics", () => {
  it("exposes the sync metrics in Prometheus text format, fed by the run observer", async () => {
    running = await startWorker({ services: testServices(), port: 0, host: "127.0.0.1" });
    const { observer, runStarted } = running.metrics;
    observer.onBatch?.({
      runId: "r",
      syncId: "s",
      records: 10,
      outcomes: { delivered: 7, rejected: 2, failed: 1 },
      latencyMs: 120,
      sample: [],
    });
    observer.onRunFinished?.({ runId: "r", status: "succeeded", durationMs: 4_000 });
    runStarted();

    const res = await fetch(`http://127.0.0.1:${running.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    for (const name of [
      "sluice_records_total",
      "sluice_batch_duration_seconds",
      "sluice_run_duration_seconds",
      "sluice_queue_lag_seconds",
      "sluice_active_runs",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('sluice_records_total{outcome="delivered"} 7');
    expect(text).toContain('sluice_records_total{outcome="rejected"} 2');
    expect(text).toContain('sluice_records_total{outcome="failed"} 1');
    expect(text).toContain("sluice_batch_duration_seconds_count 1");
    expect(text).toContain('sluice_run_duration_seconds_count{status="succeeded"} 1');
    expect(text).toContain("sluice_active_runs 1");
    expect(text).toMatch(/^sluice_queue_lag_seconds \d+(\.\d+)?$/m);
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("keeps /health beside it, and nothing else", async () => {
    running = await startWorker({ services: testServices(), port: 0, host: "127.0.0.1" });
    expect((await fetch(`http://127.0.0.1:${running.port}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${running.port}/metrics`, { method: "POST" })).status).toBe(404);
  });
});

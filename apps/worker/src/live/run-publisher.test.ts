// The publisher's own rules, on a fake clock: the per-run event cap (and its dropped counter), records/s over
// the window, throttled time, the ring buffer, and huge payloads replaced by a marked preview.
import type { LiveServerEventName } from "@sluice/contracts/live";
import type { BatchEvent } from "@sluice/core/runs/observer";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createTestSync, testServices } from "../test-fixtures";
import { createRunPublisher, type LivePayload } from "./run-publisher";

const s = testServices();

function harness(limits: { maxEventsPerSecond?: number; bufferSize?: number; rateWindowMs?: number } = {}) {
  let clock = 1_000_000;
  const sent: { syncId: string; event: LiveServerEventName; payload: unknown }[] = [];
  const publisher = createRunPublisher({
    db: s.db,
    log: pino({ level: "silent" }),
    emit: (syncId, event, payload) => sent.push({ syncId, event, payload }),
    limits,
    progressIntervalMs: 0,
    now: () => clock,
  });
  return {
    publisher,
    advance: (ms: number) => {
      clock += ms;
    },
    of: <E extends LiveServerEventName>(event: E) =>
      sent.filter((x) => x.event === event).map((x) => x.payload as LivePayload<E>),
  };
}

function batch(runId: string, syncId: string, n: number, o: Partial<BatchEvent> = {}): BatchEvent {
  return {
    runId,
    syncId,
    records: n,
    outcomes: { delivered: n, rejected: 0, failed: 0 },
    latencyMs: 100,
    sample: Array.from({ length: Math.min(n, 5) }, (_, i) => ({
      key: { id: i },
      payload: { i },
      response: { httpStatus: 200 },
      outcome: "delivered" as const,
      latencyMs: 100,
    })),
    ...o,
  };
}

async function runRow(counts: { planned: number; delivered: number }) {
  const sync = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
  const run = await s.db.syncRun.create({
    data: { workspaceId: sync.workspaceId, syncId: sync.syncId, trigger: "manual", status: "delivering", ...counts },
  });
  return { runId: run.id, syncId: sync.syncId };
}

describe("run publisher", () => {
  it("publishes at most maxEventsPerSecond sampled events per run and counts the rest as dropped", async () => {
    const h = harness({ maxEventsPerSecond: 3 });
    const { runId, syncId } = await runRow({ planned: 20, delivered: 10 });
    h.publisher.observer.onBatch?.(batch(runId, syncId, 5));
    h.publisher.observer.onBatch?.(batch(runId, syncId, 5));
    expect(h.of("run:event")).toHaveLength(3);
    h.advance(1_000);
    h.publisher.observer.onBatch?.(batch(runId, syncId, 5));
    expect(h.of("run:event")).toHaveLength(6);
    await h.publisher.idle();
    expect(h.of("run:progress").at(-1)).toMatchObject({ runId, droppedEvents: 9, counts: { planned: 20, delivered: 10 } });
    // Another run has its own budget.
    const other = await runRow({ planned: 1, delivered: 0 });
    h.publisher.observer.onBatch?.(batch(other.runId, other.syncId, 1));
    expect(h.of("run:event").filter((e) => e.runId === other.runId)).toHaveLength(1);
  });

  it("measures records/s over the window and sums throttled time; a run that stops flowing reads 0", async () => {
    const h = harness({ rateWindowMs: 5_000 });
    const { runId, syncId } = await runRow({ planned: 1_000, delivered: 0 });
    h.publisher.observer.onTransition?.(runId, "diffing", "delivering");
    h.advance(1_000);
    h.publisher.observer.onBatch?.(batch(runId, syncId, 100, { throttledMs: 250 }));
    expect(h.publisher.flow(runId)).toEqual({ recordsPerSecond: 100, throttledMs: 250, droppedEvents: 0 });
    h.advance(1_000);
    h.publisher.observer.onBatch?.(batch(runId, syncId, 300, { throttledMs: 50 }));
    expect(h.publisher.flow(runId)).toMatchObject({ recordsPerSecond: 200, throttledMs: 300 });
    // Batches older than the window no longer count.
    h.advance(4_500);
    h.publisher.observer.onBatch?.(batch(runId, syncId, 50));
    expect(h.publisher.flow(runId)?.recordsPerSecond).toBe(70);
    h.publisher.observer.onTransition?.(runId, "delivering", "paused");
    expect(h.publisher.flow(runId)?.recordsPerSecond).toBe(0);
    await h.publisher.idle();
    const statuses = h.of("run:status").map((x) => x.to);
    expect(statuses).toEqual(["delivering", "paused"]);
    expect(h.of("run:progress").at(-1)).toMatchObject({ status: "paused", recordsPerSecond: 0, throttledMs: 300 });
  });

  it("a run resumed by the control plane (no transition on this worker) reads delivering again from its next batch", async () => {
    const h = harness();
    const { runId, syncId } = await runRow({ planned: 100, delivered: 10 });
    h.publisher.observer.onTransition?.(runId, "diffing", "delivering");
    h.publisher.observer.onBatch?.(batch(runId, syncId, 10));
    h.publisher.observer.onTransition?.(runId, "delivering", "paused");
    await h.publisher.idle();
    expect(h.of("run:progress").at(-1)).toMatchObject({ status: "paused", recordsPerSecond: 0 });
    // resumeRun moved the row paused → delivering; the next job's batches reach the same publisher.
    h.advance(2_000);
    h.publisher.observer.onBatch?.(batch(runId, syncId, 10, { throttledMs: 1_000 }));
    await h.publisher.idle();
    expect(h.of("run:progress").at(-1)).toMatchObject({ status: "delivering", throttledMs: 1_000 });
    expect(h.publisher.flow(runId)?.recordsPerSecond).toBeGreaterThan(0);
  });

  it("keeps the newest bufferSize events per run, and replaces a huge payload by a marked preview", async () => {
    const h = harness({ bufferSize: 4, maxEventsPerSecond: 100 });
    const { runId, syncId } = await runRow({ planned: 10, delivered: 0 });
    h.publisher.observer.onBatch?.(batch(runId, syncId, 5));
    h.publisher.observer.onBatch?.(
      batch(runId, syncId, 1, {
        sample: [{ key: { id: 99 }, payload: { blob: "x".repeat(40_000) }, response: null, outcome: "failed", latencyMs: 5 }],
      }),
    );
    const kept = h.publisher.recentEvents(runId);
    expect(kept.map((e) => e.key.id)).toEqual([2, 3, 4, 99]);
    expect(kept.at(-1)?.payload).toMatchObject({ truncated: true, bytes: 40_011 });
    expect(JSON.stringify(kept.at(-1)).length).toBeLessThan(3_000);
    expect(h.publisher.recentEvents("unknown-run")).toEqual([]);
    await h.publisher.idle();
    h.publisher.close();
  });
});

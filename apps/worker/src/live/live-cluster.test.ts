// Several workers, one live view: two socket.io servers joined by @socket.io/postgres-adapter over the same
// database. What one worker publishes reaches a browser connected to the other, and a browser that lands on
// a worker not executing the run still gets the recent events from the one that does.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestSync, testServices } from "../test-fixtures";
import {
  connectClient,
  connected,
  type RecordingClient,
  signLiveToken,
  startTestLiveServer,
  type TestLiveServer,
} from "./live-testing";

const s = testServices();
let one: TestLiveServer;
let two: TestLiveServer;
const clients: RecordingClient[] = [];

/** Until both adapters have heard each other's heartbeat (LISTEN is set up asynchronously). */
async function untilJoined(servers: TestLiveServer[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(servers.map((x) => x.live.io.of("/").adapter.serverCount()));
    if (counts.every((n) => n >= servers.length)) return;
    if (Date.now() > deadline) throw new Error(`servers did not see each other: ${counts.join(", ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const options = { db: s.db, databaseUrl: testDatabaseUrl(), heartbeatIntervalMs: 200 };
  one = await startTestLiveServer(options);
  two = await startTestLiveServer(options);
  await untilJoined([one, two]);
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
});

async function watch(server: TestLiveServer, sync: { workspaceId: string; syncId: string }): Promise<RecordingClient> {
  const c = connectClient(server.url, await signLiveToken(sync));
  clients.push(c);
  await connected(c.socket);
  return c;
}

async function runIn(sync: { workspaceId: string; syncId: string }, counts: { planned: number; delivered: number }) {
  return s.db.syncRun.create({
    data: {
      workspaceId: sync.workspaceId,
      syncId: sync.syncId,
      trigger: "manual",
      status: "delivering",
      startedAt: new Date(),
      ...counts,
    },
  });
}

function batch(sync: { syncId: string }, runId: string, ids: number[]) {
  return {
    runId,
    syncId: sync.syncId,
    records: ids.length,
    outcomes: { delivered: ids.length, rejected: 0, failed: 0 },
    latencyMs: 30,
    throttledMs: 5,
    sample: ids.map((id) => ({
      key: { id },
      payload: { op: "update", key: { id }, data: { email: `u${id}@example.com` } },
      response: { httpStatus: 200, status: "ok" },
      outcome: "delivered" as const,
      latencyMs: 30,
    })),
  };
}

describe("live view across workers (postgres adapter)", () => {
  it("delivers what worker 1 publishes to a browser connected to worker 2", async () => {
    const sync = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const run = await runIn(sync, { planned: 10, delivered: 0 });
    const browser = await watch(two, sync);
    await browser.waitFor("run:snapshot");

    one.live.observer.onTransition?.(run.id, "diffing", "delivering");
    one.live.observer.onBatch?.(batch(sync, run.id, [1, 2]));
    const status = await browser.waitFor("run:status");
    expect(status).toMatchObject({ syncId: sync.syncId, runId: run.id, from: "diffing", to: "delivering" });
    const event = await browser.waitFor("run:event");
    expect(event).toMatchObject({
      runId: run.id,
      key: { id: 1 },
      outcome: "delivered",
      payload: { data: { email: "u1@example.com" } },
    });
    const progress = await browser.waitFor("run:progress");
    expect(progress).toMatchObject({ runId: run.id, status: "delivering", counts: { planned: 10 } });
  });

  it("sends a browser on worker 2 the events worker 1 buffered for the running run", async () => {
    const sync = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const run = await runIn(sync, { planned: 6, delivered: 3 });
    one.live.observer.onBatch?.(batch(sync, run.id, [1, 2, 3]));
    await one.live.publisher.idle();

    const browser = await watch(two, sync);
    const snapshot = await browser.waitFor("run:snapshot");
    // Worker 2 does not execute the run: counts from the database, events from worker 1.
    expect(snapshot.run).toMatchObject({ runId: run.id, counts: { planned: 6, delivered: 3 }, recordsPerSecond: null });
    await browser.waitFor("run:event", (e) => e.key.id === 3);
    expect(browser.of("run:event").map((e) => e.key.id)).toEqual([1, 2, 3]);

    // On worker 1 itself they come inside the snapshot, with its measurements.
    const local = await watch(one, sync);
    const own = await local.waitFor("run:snapshot");
    expect(own.events.map((e) => e.key.id)).toEqual([1, 2, 3]);
    expect(own.run).toMatchObject({ throttledMs: 5, droppedEvents: 0 });
    expect(own.run?.recordsPerSecond).toBeGreaterThan(0);
  });
});

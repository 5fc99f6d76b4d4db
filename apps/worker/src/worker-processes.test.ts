// The worker as real processes: SIGTERM drain time, and a SIGKILLed worker's run finished by another.
import type { Services } from "@sluice/core/context";
import { getRun } from "@sluice/core/runs/get-run";
import { createSyncFixture, Warehouse } from "@sluice/core/runs/testing/fixtures";
import { type Sink, startSink } from "@sluice/core/runs/testing/sink";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { workspaceWithRole } from "@sluice/core/testing/fixtures";
import { createKeyring, generateEncryptionKey } from "@sluice/db";
import { testDatabaseUrl, testDb } from "@sluice/db/testing";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startWorkerProcess, type WorkerProcess } from "./worker-process.test-helper";

const key = generateEncryptionKey();
const s: Services = { db: testDb(), keyring: createKeyring(key), log: pino({ level: "silent" }), allowPrivateDestinations: true };
const env = () => ({
  DATABASE_URL: testDatabaseUrl(),
  SLUICE_ENCRYPTION_KEY: key,
  SLUICE_ALLOW_PRIVATE_DESTINATIONS: "true",
  SLUICE_LEASE_TTL_MS: "3000",
  SLUICE_WORKER_CONCURRENCY: "2",
});
const ROWS = 40;
const BATCH = 5;

let warehouse: Warehouse;
let sink: Sink;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  warehouse = await Warehouse.create("worker");
  await warehouse.sql("create table customers (id int primary key, email text, plan text, score int)");
  await warehouse.sql(
    `insert into customers select i, 'user' || i || '@example.com', 'pro', i from generate_series(1, ${ROWS}) i`,
  );
});
afterEach(async () => {
  for (const w of workers.splice(0)) {
    w.signal("SIGKILL");
    await w.exited;
  }
  await sink?.close();
});
afterAll(() => warehouse.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function setUp(delayMs: number) {
  sink = await startSink({ beforeAnswer: () => sleep(delayMs).then(() => undefined) });
  const ctx = await workspaceWithRole(s);
  const { syncId } = await createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl: sink.url,
    query: "select id, email, plan, score from customers",
    primaryKey: ["id"],
    mode: "upsert",
    batchSize: BATCH,
  });
  return { ctx, syncId };
}

/** Every id 1..ROWS received; how many records arrived more than once, and in how many batches. */
function checkReceived() {
  const times = new Map<number, number>();
  for (const r of sink.received) times.set(Number(r.key.id), (times.get(Number(r.key.id)) ?? 0) + 1);
  expect([...times.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  const duplicated = [...times].filter(([, n]) => n > 1).map(([id]) => id);
  const batchesWithDuplicates = new Set(
    sink.batches.filter((b) => b.records.some((r) => duplicated.includes(Number(r.key.id)))).map((b) => b.batchId),
  );
  return {
    duplicated: duplicated.length,
    maxTimes: Math.max(...times.values()),
    batchesWithDuplicates: batchesWithDuplicates.size,
  };
}

describe("worker process", () => {
  it("drains on SIGTERM within 10 s when idle (npx tsx)", async () => {
    const w = await startWorkerProcess({ env: env(), via: "npx" });
    workers.push(w);
    expect((await fetch(`http://127.0.0.1:${w.port}/health`)).status).toBe(200);
    const started = performance.now();
    w.signalWorker("SIGTERM");
    const exit = await w.exited;
    const ms = performance.now() - started;
    console.info(`SIGTERM drain, idle worker: ${Math.round(ms)} ms`);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(10_000);
  }, 60_000);

  it("drains mid-delivery on SIGTERM within 10 s: batch finished, checkpoint written, lease released; another worker finishes", async () => {
    const { ctx, syncId } = await setUp(700);
    const a = await startWorkerProcess({ env: env(), via: "npx" });
    workers.push(a);
    const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
    await until("delivery to start", async () => sink.batches.length >= 2);

    const started = performance.now();
    a.signalWorker("SIGTERM");
    const exit = await a.exited;
    const ms = performance.now() - started;
    console.info(`SIGTERM drain, worker delivering (700 ms per batch): ${Math.round(ms)} ms`);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(10_000);

    const drained = await s.db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(drained.status).toBe("delivering");
    expect(drained.leaseOwner).toBeNull();
    const checkpoint = drained.checkpoint as { batches: number } | null;
    expect(checkpoint?.batches).toBeGreaterThanOrEqual(1);
    expect(drained.delivered).toBe((checkpoint?.batches ?? 0) * BATCH);
    // Every batch sent was answered and checkpointed: none will be sent twice.
    expect(sink.batches.length).toBe(checkpoint?.batches);

    sink.behaviour.beforeAnswer = () => sleep(20).then(() => undefined);
    const b = await startWorkerProcess({ env: env(), via: "node" });
    workers.push(b);
    const done = await until("the run to finish", async () => {
      const v = await getRun(ctx, { runId: run.id });
      return ["succeeded", "failed", "cancelled"].includes(v.status) && v;
    });
    expect(done.status).toBe("succeeded");
    expect(done.counts).toMatchObject({ planned: ROWS, delivered: ROWS, failed: 0, rejected: 0 });
    expect(checkReceived()).toMatchObject({ duplicated: 0 });
  }, 90_000);

  it("exits within 10 s on SIGTERM even when the destination hangs: the batch in flight is cut off and re-sent later", async () => {
    const { ctx, syncId } = await setUp(60_000);
    const a = await startWorkerProcess({ env: env() });
    workers.push(a);
    const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
    await until("the first batch to be sent", async () => sink.batches.length >= 1);
    const started = performance.now();
    a.signalWorker("SIGTERM");
    const exit = await a.exited;
    const ms = performance.now() - started;
    console.info(`SIGTERM drain, destination hanging: ${Math.round(ms)} ms`);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(10_000);
    const drained = await s.db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(drained).toMatchObject({ status: "delivering", leaseOwner: null, delivered: 0 });
  }, 60_000);

  it("hands the run of a SIGKILLed worker to the other once its lease expires: no record lost, at most one batch twice", async () => {
    const { ctx, syncId } = await setUp(400);
    const pair = await Promise.all([startWorkerProcess({ env: env() }), startWorkerProcess({ env: env() })]);
    workers.push(...pair);
    const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
    await until("delivery to start", async () => sink.batches.length >= 2);
    const leased = await s.db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(leased.status).toBe("delivering");
    const holderPid = Number(leased.leaseOwner?.split(":")[1]);
    const holder = pair.find((w) => w.pid === holderPid);
    const survivor = pair.find((w) => w.pid !== holderPid);
    if (!holder || !survivor) throw new Error(`lease owner ${leased.leaseOwner} is neither worker (${pair.map((w) => w.pid)})`);

    const killedAt = Date.now();
    holder.signal("SIGKILL");
    await holder.exited;

    const done = await until(
      "the run to finish",
      async () => {
        const v = await getRun(ctx, { runId: run.id });
        return ["succeeded", "failed", "cancelled"].includes(v.status) && v;
      },
      45_000,
    );
    console.info(`SIGKILL → run finished by the other worker in ${Date.now() - killedAt} ms`);
    expect(done.status).toBe("succeeded");
    expect(done.counts).toMatchObject({ planned: ROWS, delivered: ROWS, failed: 0, rejected: 0 });
    expect(survivor.output()).toContain("executing run");
    const received = checkReceived();
    expect(received.duplicated).toBeLessThanOrEqual(BATCH);
    expect(received.maxTimes).toBeLessThanOrEqual(2);
    expect(received.batchesWithDuplicates).toBeLessThanOrEqual(2); // the batch cut short and its re-send
  }, 90_000);
});

// A worker SIGKILLed mid-delivery: after its lease expires a second worker takes the run and resumes it
// from the last checkpoint. No record is lost; at most the batches in flight (one, or the destination's
// window) are sent twice, with the same batch ids and idempotency keys.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createKeyring, generateEncryptionKey } from "@sluice/db";
import { testDatabaseUrl, testDb } from "@sluice/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../context";
import { ensureQueue } from "../queue/ensure-queue";
import { workspaceWithRole } from "../testing/fixtures";
import { getRun } from "./get-run";
import { createSyncFixture, execute, Warehouse } from "./testing/fixtures";
import { startSink } from "./testing/sink";
import { triggerRun } from "./trigger-run";

const KEY = generateEncryptionKey();
const s: Services = { db: testDb(), keyring: createKeyring(KEY), log: pino({ level: "silent" }), allowPrivateDestinations: true };
const LEASE_TTL_MS = 1_500;
const ROWS = 20;
const BATCH = 3;
let warehouse: Warehouse;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("crash");
});
afterAll(async () => {
  await warehouse.close();
});

function startChild(runId: string): ChildProcess {
  const script = fileURLToPath(new URL("./testing/execute-run-child.ts", import.meta.url));
  return spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      ...process.env,
      CHILD_DATABASE_URL: testDatabaseUrl(),
      CHILD_ENCRYPTION_KEY: KEY,
      CHILD_RUN_ID: runId,
      CHILD_LEASE_TTL_MS: String(LEASE_TTL_MS),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

interface Scenario {
  /** Batches in flight (the webhook's concurrency). */
  concurrency: number;
  /** The sink kills the worker while holding this request (0-based). */
  killAt: number;
}

async function crashMidDelivery(o: Scenario) {
  const ctx = await workspaceWithRole(s);
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;
  const sink = await startSink({
    beforeAnswer: async (_batch, index) => {
      if (index === o.killAt && child) {
        exited = new Promise((resolve) => child?.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }
    },
  });
  try {
    const table = `t_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, email text, plan text, score text)`);
    await warehouse.sql(`insert into public.${table} select g, 'u' || g, 'free', g::text from generate_series(1, ${ROWS}) g`);
    const { syncId } = await createSyncFixture(ctx, {
      warehouseUrl: warehouse.url,
      sinkUrl: sink.url,
      query: `select * from public.${table}`,
      primaryKey: ["id"],
      mode: "upsert",
      batchSize: BATCH,
      concurrency: o.concurrency,
    });
    const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
    child = startChild(run.id);
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += String(d);
    });
    const code = await new Promise((resolve) => child?.once("exit", (c, signal) => resolve(signal ?? c)));
    expect(code, stderr).toBe("SIGKILL");

    const dead = await s.db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(dead.leaseOwner).toMatch(/^child\//);
    // While the dead worker's lease is still valid, nobody else may take the run.
    await execute(s, run.id, { leaseTtlMs: LEASE_TTL_MS });
    expect((await s.db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).leaseOwner).toBe(dead.leaseOwner);

    await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 200));
    await execute(s, run.id, { leaseTtlMs: LEASE_TTL_MS });
    expect(await getRun(ctx, { runId: run.id })).toMatchObject({ status: "succeeded", counts: { delivered: ROWS } });

    const counts = new Map<number, number>();
    for (const r of sink.received) counts.set(Number(r.key.id), (counts.get(Number(r.key.id)) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice.length).toBeLessThanOrEqual(o.concurrency * BATCH);
    for (const id of twice) {
      const sent = sink.received.filter((r) => Number(r.key.id) === id);
      expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(1);
      expect(new Set(sent.map((r) => r.batchId)).size).toBe(1);
    }
    return { dead, twice };
  } finally {
    child?.kill("SIGKILL");
    await sink.close();
  }
}

describe("crash recovery", () => {
  it("a worker killed with SIGKILL mid-delivery: another finishes the run, nothing lost, at most one batch twice", async () => {
    const { dead, twice } = await crashMidDelivery({ concurrency: 1, killAt: 2 });
    expect(dead).toMatchObject({ status: "delivering", delivered: 2 * BATCH, checkpoint: { batches: 2 } });
    expect(twice).toEqual([7, 8, 9]); // the batch in flight when the worker died
  }, 60_000);

  it("with two batches in flight: at most those two are sent twice, nothing lost", async () => {
    // The worker dies while batch 5 is answered. Batch 5 went out once batch 3 was checkpointed; batch 4 (and
    // so batch 6) may or may not have been by then.
    const { dead, twice } = await crashMidDelivery({ concurrency: 2, killAt: 4 });
    expect(dead.status).toBe("delivering");
    const batches = (dead.checkpoint as { batches: number }).batches;
    expect([3, 4]).toContain(batches);
    expect(dead.delivered).toBe(batches * BATCH);
    // Sent twice: whole batches right after the checkpoint, one or two of them (the window).
    const sorted = [...twice].sort((a, b) => a - b);
    expect([BATCH, 2 * BATCH]).toContain(sorted.length);
    expect(sorted).toEqual(Array.from({ length: sorted.length }, (_, i) => batches * BATCH + i + 1));
  }, 60_000);
});

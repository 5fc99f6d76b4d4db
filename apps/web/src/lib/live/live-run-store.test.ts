// The browser side of the live view against the real thing: tokens from the real sync.liveToken procedure,
// the worker's real socket.io server, and a sync executed end to end (Postgres warehouse → webhook receiver).
import "@/test/setup-env";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { getRun } from "@sluice/core/runs/get-run";
import { createSyncFixture, execute, Warehouse } from "@sluice/core/runs/testing/fixtures";
import { startSink } from "@sluice/core/runs/testing/sink";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { testDatabaseUrl } from "@sluice/db/testing";
import { type RunningWorker, startWorker } from "@sluice/worker/worker";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { issueLiveToken } from "@/server/live-token";
import { services } from "@/server/services";
import { createCaller } from "@/server/trpc/root";
import { createWorkspaceWithOwner } from "@/test/fixtures";
import { createLiveRunStore, type LiveRunStore, type LiveRunView } from "./live-run-store";

let worker: RunningWorker;
let workerUrl: string;
let warehouse: Warehouse;
const stores: LiveRunStore[] = [];

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("live_store");
  worker = await startWorker({
    services: services(),
    port: 0,
    host: "127.0.0.1",
    live: {
      encryptionKey: process.env.SLUICE_ENCRYPTION_KEY ?? "",
      allowedOrigin: "http://localhost:3000",
      publisher: { progressIntervalMs: 50 },
    },
  });
  workerUrl = `http://127.0.0.1:${worker.port}`;
});
afterEach(() => {
  for (const store of stores.splice(0)) store.stop();
});
afterAll(async () => {
  await worker?.stop();
  await warehouse?.close();
});

function store(syncId: string, getToken: () => Promise<unknown>): LiveRunStore {
  const created = createLiveRunStore({ syncId, getToken });
  stores.push(created);
  return created;
}

function until(s: LiveRunStore, predicate: (v: LiveRunView) => boolean, timeoutMs = 10_000): Promise<LiveRunView> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!predicate(s.getState())) return;
      unsubscribe();
      clearTimeout(timer);
      resolve(s.getState());
    };
    const unsubscribe = s.subscribe(check);
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(
          `state not reached in ${timeoutMs} ms: ${JSON.stringify({ ...s.getState(), events: s.getState().events.length })}`,
        ),
      );
    }, timeoutMs);
    check();
  });
}

async function fixture() {
  const s = services();
  const { owner, ctx } = await createWorkspaceWithOwner(s);
  const user = await s.db.user.findUniqueOrThrow({ where: { id: owner.id } });
  const table = `t_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${table} (id int, email text, plan text, score text)`);
  await warehouse.sql(
    `insert into public.${table} select g, 'u' || g || '@example.com', 'pro', g::text from generate_series(1, 12) g`,
  );
  const sink = await startSink();
  const setup = await createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl: sink.url,
    query: `select * from public.${table}`,
    primaryKey: ["id"],
    mode: "upsert",
    batchSize: 3,
  });
  // The worker in this test listens on a random port: the token's URL is pointed at it.
  const getToken = () =>
    createCaller({ services: s, user })
      .sync.liveToken({ workspace: ctx.workspaceSlug, syncId: setup.syncId })
      .then((t) => ({ ...t, url: workerUrl }));
  return { ctx, user, sink, syncId: setup.syncId, getToken };
}

describe("live run store", () => {
  it("connects with a control-plane token and follows a real run to its final counts; freeze holds the event list", async () => {
    const f = await fixture();
    try {
      const live = store(f.syncId, f.getToken);
      live.start();
      await until(live, (v) => v.connection === "connected");
      expect(live.getState().run).toBeNull();

      live.freeze(true);
      const { run } = await triggerRun(f.ctx, { syncId: f.syncId, trigger: "manual" });
      await execute({ ...services(), allowPrivateDestinations: true }, run.id, { observer: worker.live?.observer });
      const final = await getRun(f.ctx, { runId: run.id });
      expect(final.status).toBe("succeeded");

      const done = await until(live, (v) => v.run?.status === "succeeded" && v.run.counts.delivered === final.counts.delivered);
      expect(done.run).toMatchObject({ runId: run.id, counts: final.counts, finishedAt: final.finishedAt });
      expect(done.lastTransition).toMatchObject({ runId: run.id, from: "committing", to: "succeeded" });
      // Frozen: counters moved, the list did not.
      expect(done.events).toEqual([]);
      await until(live, (v) => v.heldEvents === 12);

      live.freeze(false);
      const thawed = live.getState();
      expect(thawed).toMatchObject({ frozen: false, heldEvents: 0 });
      expect(thawed.events.map((e) => e.key.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(thawed.events.every((e) => e.runId === run.id && e.outcome === "delivered")).toBe(true);

      // A second page opened now shows the finished run and its events at once.
      const reloaded = store(f.syncId, f.getToken);
      reloaded.start();
      const shown = await until(reloaded, (v) => v.run !== null && v.events.length === 12);
      expect(shown.run).toMatchObject({ runId: run.id, status: "succeeded", counts: final.counts });
    } finally {
      await f.sink.close();
    }
  });

  it("says why when the control plane refuses a token (another workspace's sync)", async () => {
    const f = await fixture();
    try {
      // The owner of another workspace asks, through their own workspace, for this sync.
      const { owner, ctx: theirs } = await createWorkspaceWithOwner(services());
      const stranger = await services().db.user.findUniqueOrThrow({ where: { id: owner.id } });
      const live = store(f.syncId, () =>
        createCaller({ services: services(), user: stranger }).sync.liveToken({
          workspace: theirs.workspaceSlug,
          syncId: f.syncId,
        }),
      );
      live.start();
      const failed = await until(live, (v) => v.connection === "error");
      expect(failed.error).toMatch(/Could not get a live-view token: Sync not found/);
    } finally {
      await f.sink.close();
    }
  });

  it("reconnects with a fresh token when the worker ends a socket whose token expired", async () => {
    const f = await fixture();
    try {
      let issued = 0;
      const live = store(f.syncId, async () => {
        issued++;
        // One-second tokens: the worker ends the socket at expiry and the store must come back by itself.
        const settings = { encryptionKey: process.env.SLUICE_ENCRYPTION_KEY ?? "", workerUrl, ttlSeconds: 1 };
        return issueLiveToken(f.ctx, { syncId: f.syncId }, settings);
      });
      live.start();
      await until(live, (v) => v.connection === "connected");
      await until(live, () => issued >= 2 && live.getState().connection === "connected", 8_000);
      expect(live.getState().error).toBeNull();
    } finally {
      await f.sink.close();
    }
  });
});

// How many records "resync everything" would send, counted in a real warehouse, with the last planned run.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { createSyncFixture, runSync, Warehouse } from "../runs/testing/fixtures";
import { type Sink, startSink } from "../runs/testing/sink";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { estimateFullResync } from "./estimate-full-resync";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let sink: Sink;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("estimate_resync");
  sink = await startSink();
  await warehouse.sql(`
    create table public.people (id int, email text, plan text, score text);
    insert into public.people select g, 'p' || g || '@x', 'free', g::text from generate_series(1, 1200) g;
    insert into public.people values (9, 'dup@x', 'free', '1'), (null, 'none@x', 'free', '1');
  `);
});
afterAll(async () => {
  await sink.close();
  await warehouse.close();
});

async function syncWith(mode: "upsert" | "insert") {
  const ctx = await workspaceWithRole(s, "admin");
  const fixture = await createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl: sink.url,
    query: "select * from public.people",
    primaryKey: ["id"],
    mode,
  });
  return { ctx, ...fixture };
}

describe("estimateFullResync", () => {
  it("counts the rows a full resync would send, leaving out quarantined ones, and shows the last planned run", async () => {
    const { ctx, syncId } = await syncWith("upsert");
    const before = await estimateFullResync(ctx, { syncId });
    expect(before).toMatchObject({
      syncId,
      mode: "upsert",
      modelRows: 1202,
      quarantinedRows: 3,
      rowsToSend: 1199,
      exact: true,
      lastRun: null,
      message:
        "A full resync would send all 1,199 rows of the model again. 3 more with a null or duplicated key would be rejected.",
    });
    const run = await runSync(ctx, syncId);
    const after = await estimateFullResync(ctx, { syncId });
    expect(after.lastRun).toEqual({
      id: run.id,
      status: "succeeded",
      fullResync: true,
      createdAt: run.createdAt,
      planned: run.counts.planned,
      added: 1199,
      changed: 0,
      removed: 0,
    });
  });

  it("gives an upper bound for insert mode, which only sends rows it has not created", async () => {
    const { ctx, syncId } = await syncWith("insert");
    const estimate = await estimateFullResync(ctx, { syncId });
    expect(estimate).toMatchObject({ exact: false, rowsToSend: 1199 });
    expect(estimate.message).toBe(
      "A full resync would send at most 1,199 rows: insert mode only sends rows it has not created yet. 3 more with a null or duplicated key would be rejected.",
    );
  });

  it("is for editors (it runs the model in the warehouse), in this workspace", async () => {
    const { ctx, syncId } = await syncWith("upsert");
    expect(await errorCode(estimateFullResync(await asRole(ctx, "viewer"), { syncId }))).toBe("FORBIDDEN");
    expect((await estimateFullResync(await asRole(ctx, "editor"), { syncId })).modelRows).toBe(1202);
    expect(await errorCode(estimateFullResync(await workspaceWithRole(s, "owner"), { syncId }))).toBe("NOT_FOUND");
  });
});

// Every mode, end to end against real Postgres (warehouse + control plane) and a local webhook sink:
// the set of records the sink receives equals the expected set after scripted changes.
import type { SyncMode } from "@sluice/contracts/sync-config";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../testing/fixtures";
import { createSyncFixture, opsByKey, runSync, Warehouse } from "./testing/fixtures";
import { startSink } from "./testing/sink";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("modes");
});
afterAll(async () => {
  await warehouse.close();
});

async function customersTable(): Promise<string> {
  const table = `customers_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${table} (id int, email text, plan text, score text, note text)`);
  await warehouse.sql(
    `insert into public.${table} values
      (1, 'a@x.io', 'free', '10', 'n1'), (2, 'b@x.io', 'pro', '20', 'n2'), (3, 'c@x.io', 'free', '30', 'n3'),
      (4, 'd@x.io', 'pro', '40', 'n4'), (null, 'nokey@x.io', 'free', '0', 'n'), (6, 'dup1@x.io', 'free', '1', 'n'),
      (6, 'dup2@x.io', 'pro', '2', 'n')`,
  );
  return table;
}

/** Row 2 changes a mapped column, row 3 only an unmapped one, row 4 goes, row 8 arrives, row 1 stays. */
async function scriptedChanges(table: string): Promise<void> {
  await warehouse.sql(`update public.${table} set plan = 'enterprise' where id = 2`);
  await warehouse.sql(`update public.${table} set note = 'changed, but not mapped' where id = 3`);
  await warehouse.sql(`delete from public.${table} where id = 4`);
  await warehouse.sql(`insert into public.${table} values (8, 'h@x.io', 'free', '80', 'n8')`);
}

const FIRST: Record<SyncMode, string[]> = {
  upsert: ["insert:1", "insert:2", "insert:3", "insert:4"],
  insert: ["insert:1", "insert:2", "insert:3", "insert:4"],
  mirror: ["insert:1", "insert:2", "insert:3", "insert:4"],
  update: [],
};
const SECOND: Record<SyncMode, string[]> = {
  upsert: ["insert:8", "update:2"],
  insert: ["insert:8"],
  mirror: ["delete:4", "insert:8", "update:2"],
  update: ["update:2"],
};

describe("modes", () => {
  for (const mode of ["upsert", "update", "insert", "mirror"] as const) {
    it(`${mode}: first run, then only what the mode sends of the changes; quarantined keys never leave`, async () => {
      const ctx = await workspaceWithRole(s, "owner");
      const sink = await startSink();
      try {
        const table = await customersTable();
        const { syncId } = await createSyncFixture(ctx, {
          warehouseUrl: warehouse.url,
          sinkUrl: sink.url,
          query: `select id, email, plan, score, note from public.${table}`,
          primaryKey: ["id"],
          mode,
          batchSize: 2,
        });
        const first = await runSync(ctx, syncId);
        expect(first).toMatchObject({ status: "succeeded", mode, fullResync: true, fullResyncReason: "first run", error: null });
        expect(opsByKey(sink.received)).toEqual(FIRST[mode]);
        expect(first.counts).toMatchObject({ delivered: FIRST[mode].length, rejected: 2, failed: 0 });
        const inserted = sink.received.find((r) => r.key.id === 1);
        if (inserted) expect(inserted.data).toEqual({ email: "a@x.io", traits: { plan: "free", score: 10 } });
        const outcomes = await s.db.recordOutcome.findMany({ where: { runId: first.id }, orderBy: { reason: "asc" } });
        expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
          ["rejected", expect.stringMatching(/duplicate primary key/)],
          ["rejected", expect.stringMatching(/null primary key/)],
        ]);

        sink.reset();
        await scriptedChanges(table);
        const second = await runSync(ctx, syncId);
        expect(second).toMatchObject({ status: "succeeded", fullResync: false, fullResyncReason: null });
        expect(opsByKey(sink.received)).toEqual(SECOND[mode]);
        expect(second.counts.delivered).toBe(SECOND[mode].length);
        const deleted = sink.received.find((r) => r.op === "delete");
        if (deleted) expect(deleted.data).toBeUndefined();

        sink.reset();
        const third = await runSync(ctx, syncId);
        expect(third.status).toBe("succeeded");
        expect(sink.received).toEqual([]);
        expect(await warehouse.sluiceTables()).not.toContainEqual(
          expect.stringMatching(new RegExp(`_${third.id.toLowerCase()}`)),
        );
        expect(third.timeline.map((t) => t.to)).toEqual([
          "queued",
          "planning",
          "snapshotting",
          "diffing",
          "delivering",
          "committing",
          "succeeded",
        ]);
      } finally {
        await sink.close();
      }
    });
  }
});

import { describe, expect, it } from "vitest";
import { listAuditLog } from "../audit/list-audit-log";
import type { WorkspaceContext } from "../context";
import { createDestination } from "../destinations/create-destination";
import { createModel } from "../models/create-model";
import { createSource } from "../sources/create-source";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createSync } from "./create-sync";
import { deleteSync } from "./delete-sync";
import { getActiveRunId, getSync, getSyncByName, listSyncs } from "./list-syncs";
import { updateSync } from "./update-sync";

const s = testServices();

async function fixture(ctx: WorkspaceContext) {
  const source = await createSource(ctx, { name: "W", type: "postgres", config: { connectionString: "postgresql://u:p@h/db" } });
  const model = await createModel(ctx, { name: "M", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
  const destination = await createDestination(ctx, { name: "D", type: "webhook", config: { url: "https://example.com/h" } });
  return { modelId: model.id, destinationId: destination.id };
}

const mappings = [
  { from: "email", to: "email" },
  { from: "plan", to: "traits.plan" },
];

describe("syncs", () => {
  it("creates a manual sync with no next run, and schedules one when given a schedule", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const refs = await fixture(ctx);
    const sync = await createSync(ctx, { name: "S", ...refs, mode: "mirror", mappings });
    expect(sync).toMatchObject({ mode: "mirror", schedule: { type: "manual" }, enabled: true, nextRunAt: null, modelName: "M" });
    const before = Date.now();
    const hourly = await updateSync(ctx, { id: sync.id, schedule: { every: "1h" } });
    expect(hourly.schedule).toEqual({ type: "interval", every: "1h", everyMs: 3_600_000 });
    expect(hourly.nextRunAt?.getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
    const renamed = await updateSync(ctx, { id: sync.id, name: "S2" });
    expect(renamed.nextRunAt).toEqual(hourly.nextRunAt);
    expect((await updateSync(ctx, { id: sync.id, enabled: false })).nextRunAt).toBeNull();
    const cron = await updateSync(ctx, { id: sync.id, enabled: true, schedule: { cron: "0 * * * *" } });
    expect(cron.nextRunAt?.getUTCMinutes()).toBe(0);
    expect((await getSyncByName(ctx, { name: "S2" })).id).toBe(sync.id);
    expect((await listSyncs(ctx)).length).toBe(1);
    const audit = (await listAuditLog(ctx)).items;
    expect(audit[0]).toMatchObject({ action: "sync.update", before: { enabled: false }, after: { enabled: true } });
  });

  it("validates mappings, mode, schedule and references, and writes nothing on error", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const refs = await fixture(ctx);
    const error = await createSync(ctx, {
      name: "S",
      ...refs,
      mode: "merge" as "upsert",
      mappings: [
        { from: "a", to: "x" },
        { from: "b", to: "x.y", cast: "nmber" as "number" },
      ],
      schedule: { every: "10s" },
    }).catch((e) => e);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.fieldErrors).toEqual({
      mode: ["expected one of upsert|update|insert|mirror"],
      "mappings.1.cast": ["expected one of string|number|boolean|date|json"],
      "schedule.every": ["the shortest interval is 1m"],
    });
    const other = await workspaceWithRole(s, "admin");
    const theirs = await fixture(other);
    const foreign = await createSync(ctx, { name: "S", ...theirs, mode: "upsert", mappings }).catch((e) => e);
    expect(foreign.fieldErrors).toEqual({ modelId: ["Model not found"], destinationId: ["Destination not found"] });
    expect(await ctx.db.sync.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
  });

  it("refuses to delete a sync with a run in progress, and deletes it once the run is finished", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const sync = await createSync(ctx, { name: "S", ...(await fixture(ctx)), mode: "upsert", mappings });
    const run = await ctx.db.syncRun.create({
      data: { workspaceId: ctx.workspaceId, syncId: sync.id, trigger: "manual", status: "delivering" },
    });
    expect(await getActiveRunId(ctx, { syncId: sync.id })).toBe(run.id);
    const error = await deleteSync(ctx, { id: sync.id }).catch((e) => e);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe('Sync "S" has a run in progress (delivering). Cancel it first, then delete the sync.');
    await ctx.db.syncRun.update({ where: { id: run.id }, data: { status: "cancelled" } });
    expect(await getActiveRunId(ctx, { syncId: sync.id })).toBeNull();
    await deleteSync(ctx, { id: sync.id });
    expect(await errorCode(getSync(ctx, { id: sync.id }))).toBe("NOT_FOUND");
    expect((await listAuditLog(ctx)).items[0]).toMatchObject({ action: "sync.delete", before: { name: "S", mode: "upsert" } });
  });

  it("is scoped by workspace and role", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const sync = await createSync(ctx, { name: "S", ...(await fixture(ctx)), mode: "upsert", mappings });
    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(getSync(stranger, { id: sync.id }))).toBe("NOT_FOUND");
    expect(await errorCode(getSyncByName(stranger, { name: "S" }))).toBe("NOT_FOUND");
    expect(await errorCode(updateSync(stranger, { id: sync.id, enabled: false }))).toBe("NOT_FOUND");
    expect(await errorCode(deleteSync(stranger, { id: sync.id }))).toBe("NOT_FOUND");
    const viewer = await asRole(ctx, "viewer");
    expect((await listSyncs(viewer)).length).toBe(1);
    expect(await errorCode(updateSync(viewer, { id: sync.id, enabled: false }))).toBe("FORBIDDEN");
    expect(
      await errorCode(
        createSync(ctx, { name: "S", modelId: sync.modelId, destinationId: sync.destinationId, mode: "upsert", mappings }),
      ),
    ).toBe("CONFLICT");
  });
});

// The sync settings procedures (create, get, update, delete, setEnabled, previewSchedule, estimateFullResync)
// through createCaller, against a real warehouse for the estimate — with roles and workspace isolation.
import "@/test/setup-env";
import { createDestination, createModel, createSource } from "@sluice/core";
import type { WorkspaceContext } from "@sluice/core/context";
import { Warehouse } from "@sluice/core/runs/testing/fixtures";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "../root";

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.create("sync_settings");
  await warehouse.sql(`
    create table public.people (id int, email text);
    insert into public.people select g, 'p' || g || '@x' from generate_series(1, 40) g;
    insert into public.people values (null, 'nobody@x');
  `);
});
afterAll(async () => {
  await warehouse.close();
});

const callerFor = (user: { id: string; name: string; email: string }) => createCaller({ services: services(), user });

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function workspace() {
  const s = services();
  const { ctx } = await createWorkspaceWithOwner(s);
  const source = await createSource(ctx, {
    name: "W",
    type: "postgres",
    config: { connectionString: warehouse.url, sslMode: "disable" },
  });
  const model = await createModel(ctx as WorkspaceContext, {
    name: "People",
    sourceId: source.id,
    query: "select * from public.people",
    primaryKey: ["id"],
  });
  const destination = await createDestination(ctx, {
    name: "Hook",
    type: "webhook",
    config: { url: "https://example.com/hook" },
  });
  const as = async (role: "admin" | "editor" | "viewer") => callerFor(await addUserWithRole(s, ctx, role));
  return { slug: ctx.workspaceSlug, modelId: model.id, destinationId: destination.id, as };
}

const mappings = [
  { from: "id", to: "id" },
  { from: "email", to: "email" },
];

describe("tRPC sync settings", () => {
  it("lets an editor create, read, change, switch off and on, and delete a sync", async () => {
    const { slug, modelId, destinationId, as } = await workspace();
    const editor = await as("editor");
    const created = await editor.sync.create({
      workspace: slug,
      name: "people-to-hook",
      modelId,
      destinationId,
      mode: "upsert",
      mappings,
      schedule: { every: "15m" },
    });
    expect(created).toMatchObject({
      mode: "upsert",
      schedule: { type: "interval", every: "15m", everyMs: 900_000 },
      enabled: true,
    });
    expect(created.nextRunAt).toBeInstanceOf(Date);

    const got = await (await as("viewer")).sync.get({ workspace: slug, id: created.id });
    expect(got).toMatchObject({
      id: created.id,
      objectLabel: "Records",
      scheduleSummary: "every 15m",
      modeDescription:
        "Creates and updates records for new and changed rows. Rows that disappear from the model leave their records in place.",
    });

    const updated = await editor.sync.update({
      workspace: slug,
      id: created.id,
      mode: "mirror",
      mappings: [...mappings, { constant: "sluice", to: "source" }],
      schedule: { cron: "0 6 * * *" },
    });
    expect(updated).toMatchObject({ mode: "mirror", schedule: { type: "cron", cron: "0 6 * * *" } });
    expect(updated.mappings).toHaveLength(3);
    expect(updated.nextRunAt?.getUTCHours()).toBe(6);

    const off = await editor.sync.setEnabled({ workspace: slug, id: created.id, enabled: false });
    expect(off).toMatchObject({ enabled: false, nextRunAt: null });
    const on = await editor.sync.setEnabled({ workspace: slug, id: created.id, enabled: true });
    expect(on.enabled).toBe(true);
    expect(on.nextRunAt?.getUTCHours()).toBe(6);

    await editor.sync.delete({ workspace: slug, id: created.id });
    expect((await trpcError(editor.sync.get({ workspace: slug, id: created.id }))).code).toBe("NOT_FOUND");
  });

  it("answers invalid settings with field errors and saves nothing", async () => {
    const { slug, modelId, destinationId, as } = await workspace();
    const editor = await as("editor");
    const error = await trpcError(
      editor.sync.create({
        workspace: slug,
        name: "bad",
        modelId,
        destinationId,
        mode: "upsert",
        mappings: [
          { from: "id", to: "id" },
          { from: "email", to: "id" },
        ],
        schedule: { every: "10s" },
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(await editor.sync.list({ workspace: slug })).toEqual([]);
  });

  it("previews a schedule's next runs in UTC, or says why it is not valid yet", async () => {
    const { slug, as } = await workspace();
    const viewer = await as("viewer");
    const preview = await viewer.sync.previewSchedule({ workspace: slug, schedule: { cron: "30 2 * * *" } });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.nextRuns).toHaveLength(5);
    for (const at of preview.nextRuns) expect(at).toMatch(/T02:30:00\.000Z$/);
    expect(preview.summary).toBe("cron 30 2 * * * (UTC)");
    const invalid = await viewer.sync.previewSchedule({ workspace: slug, schedule: { every: "5s" } });
    expect(invalid).toEqual({
      ok: false,
      message: "the shortest interval is 1m",
      fieldErrors: { "schedule.every": ["the shortest interval is 1m"] },
    });
    expect(await viewer.sync.previewSchedule({ workspace: slug, schedule: "manual" })).toMatchObject({ ok: true, nextRuns: [] });
  });

  it("estimates a full resync in the warehouse (editors)", async () => {
    const { slug, modelId, destinationId, as } = await workspace();
    const editor = await as("editor");
    const sync = await editor.sync.create({ workspace: slug, name: "s", modelId, destinationId, mode: "upsert", mappings });
    const estimate = await editor.sync.estimateFullResync({ workspace: slug, syncId: sync.id });
    expect(estimate).toMatchObject({ modelRows: 41, quarantinedRows: 1, rowsToSend: 40, exact: true, lastRun: null });
    expect(estimate.message).toBe(
      "A full resync would send all 40 rows of the model again. 1 more with a null or duplicated key would be rejected.",
    );
    const viewer = await as("viewer");
    expect((await trpcError(viewer.sync.estimateFullResync({ workspace: slug, syncId: sync.id }))).code).toBe("FORBIDDEN");
  });

  it("keeps viewers from changing syncs, and other workspaces from seeing them", async () => {
    const a = await workspace();
    const sync = await (await a.as("editor")).sync.create({
      workspace: a.slug,
      name: "s",
      modelId: a.modelId,
      destinationId: a.destinationId,
      mode: "upsert",
      mappings,
    });
    const viewer = await a.as("viewer");
    const base = { workspace: a.slug, id: sync.id };
    expect((await trpcError(viewer.sync.update({ ...base, name: "x" }))).code).toBe("FORBIDDEN");
    expect((await trpcError(viewer.sync.setEnabled({ ...base, enabled: false }))).code).toBe("FORBIDDEN");
    expect((await trpcError(viewer.sync.delete(base))).code).toBe("FORBIDDEN");
    expect(
      (
        await trpcError(
          viewer.sync.create({
            workspace: a.slug,
            name: "t",
            modelId: a.modelId,
            destinationId: a.destinationId,
            mode: "upsert",
            mappings,
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");

    const b = await workspace();
    const ownerB = await b.as("admin");
    const foreign = { workspace: b.slug, id: sync.id };
    expect((await trpcError(ownerB.sync.get(foreign))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.sync.update({ ...foreign, name: "x" }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.sync.setEnabled({ ...foreign, enabled: false }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.sync.delete(foreign))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.sync.estimateFullResync({ workspace: b.slug, syncId: sync.id }))).code).toBe("NOT_FOUND");
    // A sync in B cannot point at A's model either.
    const cross = await trpcError(
      ownerB.sync.create({
        workspace: b.slug,
        name: "x",
        modelId: a.modelId,
        destinationId: b.destinationId,
        mode: "upsert",
        mappings,
      }),
    );
    expect(cross.code).toBe("BAD_REQUEST");
  });
});

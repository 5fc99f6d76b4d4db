// The sync router through createCaller: roles on `run`, and `list` carrying each sync's latest run.
import "@/test/setup-env";
import { createDestination, createModel, createSource, createSync } from "@sluice/core";
import type { WorkspaceContext } from "@sluice/core/context";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { testDatabaseUrl } from "@sluice/db/testing";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "./root";

beforeAll(async () => {
  // triggerRun enqueues a graphile-worker job in the same transaction as the run row.
  await ensureQueue(testDatabaseUrl());
});

function callerFor(user: { id: string; name: string; email: string }) {
  return createCaller({ services: services(), user });
}

async function syncIn(ctx: WorkspaceContext) {
  const source = await createSource(ctx, { name: "W", type: "postgres", config: { connectionString: "postgresql://u:p@h/db" } });
  const model = await createModel(ctx, { name: "Customers", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
  const destination = await createDestination(ctx, { name: "Hook", type: "webhook", config: { url: "https://example.com/h" } });
  return createSync(ctx, {
    name: "customers-to-hook",
    modelId: model.id,
    destinationId: destination.id,
    mode: "mirror",
    mappings: [{ from: "id", to: "id" }],
  });
}

describe("tRPC sync router", () => {
  it("refuses a viewer starting a run (FORBIDDEN) and starts nothing", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const sync = await syncIn(ctx);
    const viewer = await addUserWithRole(s, ctx, "viewer");
    const error = await callerFor(viewer)
      .sync.run({ workspace: ctx.workspaceSlug, syncId: sync.id })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
    expect(await s.db.syncRun.count({ where: { syncId: sync.id } })).toBe(0);
    // Viewers still see the sync.
    const listed = await callerFor(viewer).sync.list({ workspace: ctx.workspaceSlug });
    expect(listed).toMatchObject([{ id: sync.id, latestRun: null }]);
  });

  it("lets an editor start a queued manual run, which `list` and `runs` then show", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const sync = await syncIn(ctx);
    const editor = callerFor(await addUserWithRole(s, ctx, "editor"));
    const { run, created } = await editor.sync.run({ workspace: ctx.workspaceSlug, syncId: sync.id, fullResync: true });
    expect(created).toBe(true);
    expect(run).toMatchObject({ syncId: sync.id, status: "queued", trigger: "manual", fullResync: true });

    // A second click while it is queued returns the same run.
    const again = await editor.sync.run({ workspace: ctx.workspaceSlug, syncId: sync.id });
    expect(again).toMatchObject({ created: false, run: { id: run.id } });

    const listed = await editor.sync.list({ workspace: ctx.workspaceSlug });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      name: "customers-to-hook",
      modelName: "Customers",
      destinationName: "Hook",
      mode: "mirror",
      schedule: { type: "manual" },
      enabled: true,
      latestRun: { id: run.id, status: "queued", counts: { planned: 0, delivered: 0 } },
    });
    const runs = await editor.sync.runs({ workspace: ctx.workspaceSlug, syncId: sync.id });
    expect(runs.items.map((r) => r.id)).toEqual([run.id]);

    // Pause and cancel go through the same router; a queued run pauses at once.
    expect((await editor.sync.pause({ workspace: ctx.workspaceSlug, runId: run.id })).status).toBe("paused");
    expect((await editor.sync.cancel({ workspace: ctx.workspaceSlug, runId: run.id })).status).toBe("cancelled");
    const [after] = await editor.sync.list({ workspace: ctx.workspaceSlug });
    expect(after?.latestRun).toMatchObject({ id: run.id, status: "cancelled" });
  });

  it("never shows another workspace's run", async () => {
    const s = services();
    const a = await createWorkspaceWithOwner(s);
    const b = await createWorkspaceWithOwner(s);
    const syncA = await syncIn(a.ctx);
    const ownerA = await s.db.user.findUniqueOrThrow({ where: { id: a.owner.id } });
    const { run } = await callerFor(ownerA).sync.run({ workspace: a.ctx.workspaceSlug, syncId: syncA.id });
    const ownerB = await s.db.user.findUniqueOrThrow({ where: { id: b.owner.id } });
    expect(await callerFor(ownerB).sync.list({ workspace: b.ctx.workspaceSlug })).toEqual([]);
    const error = await callerFor(ownerB)
      .sync.cancel({ workspace: b.ctx.workspaceSlug, runId: run.id })
      .catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
  });
});

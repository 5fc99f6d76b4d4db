// REST /api/v1/syncs: create, read (by id or name), page, change and delete syncs with workspace API keys;
// the error format, roles and workspace isolation. Handlers are called as Next calls them, on the test Postgres.
import "@/test/setup-env";
import type { WorkspaceContext } from "@sluice/core/context";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { createSync } from "@sluice/core/syncs/create-sync";
import { getSync, listSyncs } from "@sluice/core/syncs/list-syncs";
import { testDatabaseUrl } from "@sluice/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { DeletedResponse, SyncPage, SyncResponse } from "@/server/rest/schemas";
import { apiRequest, expectDocumented, expectError, noParams, read, syncRefs, withId } from "@/server/rest/testing";
import { services } from "@/server/services";
import { apiKeyFor, createWorkspaceWithOwner } from "@/test/fixtures";
import { DELETE as deleteSyncRoute, GET as getSyncRoute, PATCH as patchSyncRoute } from "./[id]/route";
import { GET as listRunsRoute, POST as triggerRoute } from "./[id]/runs/route";
import { POST as createSyncRoute, GET as listSyncsRoute } from "./route";

const mappings = [
  { from: "email", to: "email" },
  { from: "plan", to: "traits.plan", cast: "string" },
];

/** Core's view as JSON: what the API must answer, field for field. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

let a: WorkspaceContext;
let b: WorkspaceContext;
let refsA: { modelId: string; destinationId: string };
let keys: { admin: string; editor: string; viewer: string; otherAdmin: string };

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  const s = services();
  a = (await createWorkspaceWithOwner(s)).ctx;
  b = (await createWorkspaceWithOwner(s)).ctx;
  refsA = await syncRefs(a);
  keys = {
    admin: await apiKeyFor(a, "admin"),
    editor: await apiKeyFor(a, "editor"),
    viewer: await apiKeyFor(a, "viewer"),
    otherAdmin: await apiKeyFor(b, "admin"),
  };
});

describe("REST /api/v1/syncs happy paths", () => {
  it("creates a sync (201 + Location) that reads back by id and by name, exactly as core sees it", async () => {
    const res = await createSyncRoute(
      apiRequest("/syncs", {
        key: keys.editor,
        method: "POST",
        body: { name: "Customers to Hook", ...refsA, mode: "upsert", mappings, schedule: { every: "15m" } },
      }),
      noParams,
    );
    const { status, body, headers } = await read(res);
    expect(status).toBe(201);
    expectDocumented(SyncResponse, body);
    const sync = body.data;
    expect(headers.get("location")).toBe(`/api/v1/syncs/${sync.id}`);
    expect(sync).toMatchObject({
      name: "Customers to Hook",
      modelName: "Customers",
      destinationName: "Hook",
      mode: "upsert",
      schedule: { type: "interval", every: "15m", everyMs: 900_000 },
      enabled: true,
      object: null,
    });
    expect(Date.parse(sync.nextRunAt)).toBeGreaterThan(Date.now());
    expect(sync).toEqual(asJson(await getSync(a, { id: sync.id })));

    const byId = await read(await getSyncRoute(apiRequest(`/syncs/${sync.id}`, { key: keys.viewer }), withId(sync.id)));
    expect(byId).toMatchObject({ status: 200, body: { data: sync } });
    const byName = await read(
      await getSyncRoute(apiRequest("/syncs/Customers%20to%20Hook", { key: keys.viewer }), withId(sync.name)),
    );
    expect(byName).toMatchObject({ status: 200, body: { data: { id: sync.id } } });
  });

  it("lists syncs a page at a time, ordered by name, until nextCursor is null", async () => {
    const { ctx } = await createWorkspaceWithOwner(services());
    const refs = await syncRefs(ctx);
    const names = ["delta", "Alpha", "charlie", "bravo", "echo"];
    for (const name of names) await createSync(ctx, { name, ...refs, mode: "insert", mappings });
    const key = await apiKeyFor(ctx, "viewer");

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const { status, body } = await read(await listSyncsRoute(apiRequest(`/syncs${query}`, { key }), noParams));
      expect(status).toBe(200);
      expectDocumented(SyncPage, body);
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((s: { name: string }) => s.name));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(["Alpha", "bravo", "charlie", "delta", "echo"]);

    // Without a limit, one page holds them all (default 20).
    const all = await read(await listSyncsRoute(apiRequest("/syncs", { key }), noParams));
    expect(all.body).toMatchObject({ nextCursor: null });
    expect(all.body.data).toEqual(
      asJson(await listSyncs(ctx)).sort((x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : 1)),
    );
  });

  it("keeps paging after the sync its cursor names is deleted", async () => {
    const { ctx } = await createWorkspaceWithOwner(services());
    const refs = await syncRefs(ctx);
    const made = [];
    for (const name of ["a", "b", "c"]) made.push(await createSync(ctx, { name, ...refs, mode: "insert", mappings }));
    const key = await apiKeyFor(ctx, "editor");
    const first = await read(await listSyncsRoute(apiRequest("/syncs?limit=1", { key }), noParams));
    expect(first.body.data.map((s: { name: string }) => s.name)).toEqual(["a"]);
    const del = await deleteSyncRoute(apiRequest(`/syncs/${made[0]?.id}`, { key, method: "DELETE" }), withId(made[0]?.id ?? ""));
    expect(del.status).toBe(200);
    const next = await read(
      await listSyncsRoute(apiRequest(`/syncs?limit=5&cursor=${first.body.nextCursor}`, { key }), noParams),
    );
    expect(next.body.data.map((s: { name: string }) => s.name)).toEqual(["b", "c"]);
  });

  it("changes a sync with PATCH (addressed by name) and deletes it with DELETE", async () => {
    const sync = await createSync(a, { name: "patch-me", ...refsA, mode: "insert", mappings });
    const res = await patchSyncRoute(
      apiRequest("/syncs/patch-me", {
        key: keys.editor,
        method: "PATCH",
        body: { enabled: false, schedule: { cron: "0 * * * *" } },
      }),
      withId("patch-me"),
    );
    const { status, body } = await read(res);
    expect(status).toBe(200);
    expectDocumented(SyncResponse, body);
    expect(body.data).toMatchObject({
      id: sync.id,
      enabled: false,
      schedule: { type: "cron", cron: "0 * * * *" },
      nextRunAt: null,
    });
    expect(body.data).toEqual(asJson(await getSync(a, { id: sync.id })));

    const del = await read(
      await deleteSyncRoute(apiRequest(`/syncs/${sync.id}`, { key: keys.editor, method: "DELETE" }), withId(sync.id)),
    );
    expect(del).toMatchObject({ status: 200, body: { data: { id: sync.id, deleted: true } } });
    expectDocumented(DeletedResponse, del.body);
    await expectError(
      await getSyncRoute(apiRequest(`/syncs/${sync.id}`, { key: keys.viewer }), withId(sync.id)),
      404,
      "NOT_FOUND",
    );
  });
});

describe("REST /api/v1/syncs errors", () => {
  it("answers 400 with every field path at fault, and creates nothing", async () => {
    const before = (await listSyncs(a)).length;
    const res = await createSyncRoute(
      apiRequest("/syncs", {
        key: keys.admin,
        method: "POST",
        body: {
          name: "",
          ...refsA,
          mode: "merge",
          mappings: [{ from: "email", to: "email" }, { from: "y" }],
          schedule: { every: "10s" },
          schedul: "typo",
        },
      }),
      noParams,
    );
    const error = await expectError(res, 400, "BAD_REQUEST");
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(["_form", "mappings.1.to", "mode", "name", "schedule.every"]);
    expect(error.fieldErrors?._form?.[0]).toContain("schedul");
    expect(error.fieldErrors?.mode?.[0]).toContain("upsert|update|insert|mirror");
    expect(error.fieldErrors?.["schedule.every"]?.[0]).toContain("shortest interval is 1m");

    const twice = await createSyncRoute(
      apiRequest("/syncs", {
        key: keys.admin,
        method: "POST",
        body: { name: "twice", ...refsA, mode: "insert", mappings: [...mappings, { from: "x", to: "email" }] },
      }),
      noParams,
    );
    expect((await expectError(twice, 400, "BAD_REQUEST")).fieldErrors).toEqual({
      "mappings.2.to": ['"email" is already mapped by mappings[0]'],
    });
    expect((await listSyncs(a)).length).toBe(before);
  });

  it("answers 400 for a body that is not JSON, a foreign model, and a bad page query", async () => {
    const notJson = await createSyncRoute(apiRequest("/syncs", { key: keys.admin, method: "POST", rawBody: "{name:" }), noParams);
    expect((await expectError(notJson, 400, "BAD_REQUEST")).message).toMatch(/not valid JSON/);

    const refsB = await syncRefs(b);
    const foreign = await createSyncRoute(
      apiRequest("/syncs", { key: keys.admin, method: "POST", body: { name: "x", ...refsB, mode: "insert", mappings } }),
      noParams,
    );
    expect((await expectError(foreign, 400, "BAD_REQUEST")).fieldErrors).toEqual({
      modelId: ["Model not found"],
      destinationId: ["Destination not found"],
    });

    const limit = await listSyncsRoute(apiRequest("/syncs?limit=0", { key: keys.viewer }), noParams);
    expect(Object.keys((await expectError(limit, 400, "BAD_REQUEST")).fieldErrors ?? {})).toEqual(["limit"]);
    const cursor = await listSyncsRoute(apiRequest("/syncs?cursor=not*a*cursor", { key: keys.viewer }), noParams);
    expect((await expectError(cursor, 400, "BAD_REQUEST")).fieldErrors).toEqual({ cursor: ["Unrecognised cursor"] });
  });

  it("answers 409 for a name already taken, on create and on rename", async () => {
    await createSync(a, { name: "taken", ...refsA, mode: "insert", mappings });
    const other = await createSync(a, { name: "free", ...refsA, mode: "insert", mappings });
    const dup = await createSyncRoute(
      apiRequest("/syncs", { key: keys.editor, method: "POST", body: { name: "taken", ...refsA, mode: "insert", mappings } }),
      noParams,
    );
    expect((await expectError(dup, 409, "CONFLICT")).fieldErrors).toEqual({ name: ["Another sync already has this name"] });
    const rename = await patchSyncRoute(
      apiRequest(`/syncs/${other.id}`, { key: keys.editor, method: "PATCH", body: { name: "taken" } }),
      withId(other.id),
    );
    await expectError(rename, 409, "CONFLICT");
  });

  it("refuses to delete a sync whose run is under way (409) and keeps it", async () => {
    const sync = await createSync(a, { name: "busy", ...refsA, mode: "insert", mappings });
    await triggerRun(a, { syncId: sync.id, trigger: "manual" });
    const res = await deleteSyncRoute(apiRequest(`/syncs/${sync.id}`, { key: keys.admin, method: "DELETE" }), withId(sync.id));
    expect((await expectError(res, 409, "CONFLICT")).message).toMatch(/Cancel it first/);
    await expect(getSync(a, { id: sync.id })).resolves.toMatchObject({ id: sync.id });
  });

  it("answers 401 without a key or with an unknown one", async () => {
    await expectError(await listSyncsRoute(apiRequest("/syncs"), noParams), 401, "UNAUTHORIZED");
    await expectError(await getSyncRoute(apiRequest("/syncs/x", { key: "slk_nope" }), withId("x")), 401, "UNAUTHORIZED");
  });
});

describe("REST /api/v1/syncs roles and isolation", () => {
  it("refuses a viewer key creating, changing, deleting or triggering (403) and changes nothing", async () => {
    const sync = await createSync(a, { name: "viewer-proof", ...refsA, mode: "insert", mappings });
    const key = keys.viewer;
    const attempts = [
      await createSyncRoute(
        apiRequest("/syncs", { key, method: "POST", body: { name: "nope", ...refsA, mode: "insert", mappings } }),
        noParams,
      ),
      await patchSyncRoute(apiRequest(`/syncs/${sync.id}`, { key, method: "PATCH", body: { enabled: false } }), withId(sync.id)),
      await deleteSyncRoute(apiRequest(`/syncs/${sync.id}`, { key, method: "DELETE" }), withId(sync.id)),
      await triggerRoute(apiRequest(`/syncs/${sync.id}/runs`, { key, method: "POST" }), withId(sync.id)),
    ];
    for (const res of attempts) expect((await expectError(res, 403, "FORBIDDEN")).message).toMatch(/viewer/);
    expect(await getSync(a, { id: sync.id })).toEqual(sync);
    expect((await listSyncs(a)).some((s) => s.name === "nope")).toBe(false);
    expect(await a.db.syncRun.count({ where: { syncId: sync.id } })).toBe(0);
    // Reading is what a viewer may do.
    expect((await getSyncRoute(apiRequest(`/syncs/${sync.id}`, { key }), withId(sync.id))).status).toBe(200);
  });

  it("answers 404 to another workspace's key for a sync, by id and by name, on every route", async () => {
    const sync = await createSync(a, { name: "private-sync", ...refsA, mode: "insert", mappings });
    const key = keys.otherAdmin;
    for (const ref of [sync.id, sync.name]) {
      const attempts = [
        await getSyncRoute(apiRequest(`/syncs/${ref}`, { key }), withId(ref)),
        await patchSyncRoute(apiRequest(`/syncs/${ref}`, { key, method: "PATCH", body: { enabled: false } }), withId(ref)),
        await deleteSyncRoute(apiRequest(`/syncs/${ref}`, { key, method: "DELETE" }), withId(ref)),
        await triggerRoute(apiRequest(`/syncs/${ref}/runs`, { key, method: "POST" }), withId(ref)),
        await listRunsRoute(apiRequest(`/syncs/${ref}/runs`, { key }), withId(ref)),
      ];
      for (const res of attempts) await expectError(res, 404, "NOT_FOUND");
    }
    expect(await getSync(a, { id: sync.id })).toEqual(sync);
    expect(await a.db.syncRun.count({ where: { syncId: sync.id } })).toBe(0);
    const listed = await read(await listSyncsRoute(apiRequest("/syncs", { key }), noParams));
    expect(listed.body.data).toEqual([]);
  });
});

// REST runs: trigger (POST /syncs/{id}/runs), list a sync's runs, read a run, and pause / resume / cancel it
// (POST /runs/{id}/…), with roles and workspace isolation. No worker runs here, so triggered runs stay queued.
import "@/test/setup-env";
import type { WorkspaceContext } from "@sluice/core/context";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { cancelRun } from "@sluice/core/runs/cancel-run";
import { getRun } from "@sluice/core/runs/get-run";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { createSync } from "@sluice/core/syncs/create-sync";
import { testDatabaseUrl } from "@sluice/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { RunPage, RunResponse, TriggerRunResponse } from "@/server/rest/schemas";
import { apiRequest, expectDocumented, expectError, read, syncRefs, withId } from "@/server/rest/testing";
import { services } from "@/server/services";
import { apiKeyFor, createWorkspaceWithOwner } from "@/test/fixtures";
import { GET as listRunsRoute, POST as triggerRoute } from "../syncs/[id]/runs/route";
import { POST as cancelRoute } from "./[id]/cancel/route";
import { POST as pauseRoute } from "./[id]/pause/route";
import { POST as resumeRoute } from "./[id]/resume/route";
import { GET as getRunRoute } from "./[id]/route";

const mappings = [{ from: "id", to: "id" }];

let a: WorkspaceContext;
let refsA: { modelId: string; destinationId: string };
let keys: { editor: string; viewer: string; other: string };
let syncCount = 0;

beforeAll(async () => {
  // triggerRun enqueues a graphile-worker job in the same transaction as the run row.
  await ensureQueue(testDatabaseUrl());
  const s = services();
  a = (await createWorkspaceWithOwner(s)).ctx;
  const b = (await createWorkspaceWithOwner(s)).ctx;
  refsA = await syncRefs(a);
  keys = { editor: await apiKeyFor(a, "editor"), viewer: await apiKeyFor(a, "viewer"), other: await apiKeyFor(b, "admin") };
});

const newSync = () => createSync(a, { name: `runs-${++syncCount}`, ...refsA, mode: "upsert", mappings });

function trigger(ref: string, key: string, body?: unknown) {
  return triggerRoute(apiRequest(`/syncs/${encodeURIComponent(ref)}/runs`, { key, method: "POST", body }), withId(ref));
}

const control = { pause: pauseRoute, resume: resumeRoute, cancel: cancelRoute };
function act(verb: keyof typeof control, runId: string, key: string) {
  return control[verb](apiRequest(`/runs/${runId}/${verb}`, { key, method: "POST" }), withId(runId));
}

describe("REST trigger: POST /api/v1/syncs/{id}/runs", () => {
  it("queues a run (202 + Location, trigger api); triggering again returns the same run with created: false", async () => {
    const sync = await newSync();
    const first = await read(await trigger(sync.name, keys.editor));
    expect(first.status).toBe(202);
    expectDocumented(TriggerRunResponse, first.body);
    const run = first.body.data;
    expect(first.body.created).toBe(true);
    expect(first.headers.get("location")).toBe(`/api/v1/runs/${run.id}`);
    expect(run).toMatchObject({ syncId: sync.id, syncName: sync.name, status: "queued", trigger: "api", fullResync: false });
    expect(run).toEqual(await getRun(a, { runId: run.id }));

    const again = await read(await trigger(sync.id, keys.editor, {}));
    expect(again).toMatchObject({ status: 202, body: { created: false, data: { id: run.id } } });
  });

  it("gives two triggers at the same instant the same active run", async () => {
    const sync = await newSync();
    const both = await Promise.all(
      [trigger(sync.id, keys.editor), trigger(sync.id, keys.editor)].map(async (p) => read(await p)),
    );
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    expect(both[0]?.body.data.id).toBe(both[1]?.body.data.id);
    expect(both.map((r) => r.body.created).sort()).toEqual([false, true]);
    expect(await a.db.syncRun.count({ where: { syncId: sync.id } })).toBe(1);
  });

  it("starts a full resync, and upgrades a queued run when a full resync is asked for meanwhile", async () => {
    const fresh = await read(await trigger((await newSync()).id, keys.editor, { fullResync: true }));
    expect(fresh).toMatchObject({ status: 202, body: { created: true, data: { fullResync: true } } });

    const sync = await newSync();
    const queued = await read(await trigger(sync.id, keys.editor));
    expect(queued.body.data.fullResync).toBe(false);
    const upgraded = await read(await trigger(sync.id, keys.editor, { fullResync: true }));
    expect(upgraded.body).toMatchObject({ created: false, data: { id: queued.body.data.id, fullResync: true } });
  });

  it("answers 400 with field paths for a bad trigger body, and starts nothing", async () => {
    const sync = await newSync();
    const bad = await expectError(await trigger(sync.id, keys.editor, { fullResync: "yes", now: true }), 400, "BAD_REQUEST");
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["_form", "fullResync"]);
    const notJson = triggerRoute(
      apiRequest(`/syncs/${sync.id}/runs`, { key: keys.editor, method: "POST", rawBody: "yes" }),
      withId(sync.id),
    );
    await expectError(await notJson, 400, "BAD_REQUEST");
    expect(await a.db.syncRun.count({ where: { syncId: sync.id } })).toBe(0);
  });
});

describe("REST runs: list, read, pause, resume, cancel", () => {
  it("lists a sync's runs newest first, a page at a time", async () => {
    const sync = await newSync();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { run } = await triggerRun(a, { syncId: sync.id, trigger: "manual" });
      ids.push(run.id);
      if (i < 2) await cancelRun(a, { runId: run.id });
    }
    const newestFirst = [...ids].reverse();
    const first = await read(
      await listRunsRoute(apiRequest(`/syncs/${sync.id}/runs?limit=2`, { key: keys.viewer }), withId(sync.id)),
    );
    expect(first.status).toBe(200);
    expectDocumented(RunPage, first.body);
    expect(first.body.data.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.body.data.map((r: { status: string }) => r.status)).toEqual(["queued", "cancelled"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await read(
      await listRunsRoute(
        apiRequest(`/syncs/${sync.name}/runs?limit=2&cursor=${first.body.nextCursor}`, { key: keys.viewer }),
        withId(sync.name),
      ),
    );
    expect(rest.body).toEqual({ data: [expect.objectContaining({ id: newestFirst[2] })], nextCursor: null });
    const bad = await listRunsRoute(apiRequest(`/syncs/${sync.id}/runs?limit=101`, { key: keys.viewer }), withId(sync.id));
    expect(Object.keys((await expectError(bad, 400, "BAD_REQUEST")).fieldErrors ?? {})).toEqual(["limit"]);
  });

  it("reads a run with its timeline", async () => {
    const { run } = await triggerRun(a, { syncId: (await newSync()).id, trigger: "manual" });
    const { status, body } = await read(await getRunRoute(apiRequest(`/runs/${run.id}`, { key: keys.viewer }), withId(run.id)));
    expect(status).toBe(200);
    expectDocumented(RunResponse, body);
    expect(body.data).toEqual(run);
    expect(body.data.timeline).toEqual([expect.objectContaining({ from: null, to: "queued" })]);
    await expectError(
      await getRunRoute(apiRequest("/runs/no-such-run", { key: keys.viewer }), withId("no-such-run")),
      404,
      "NOT_FOUND",
    );
  });

  it("pauses, resumes and cancels a queued run; a finished run answers 409", async () => {
    const { run } = await triggerRun(a, { syncId: (await newSync()).id, trigger: "manual" });
    const paused = await read(await act("pause", run.id, keys.editor));
    expect(paused).toMatchObject({ status: 200, body: { data: { id: run.id, status: "paused" } } });
    expectDocumented(RunResponse, paused.body);
    // Pausing what is paused changes nothing.
    expect(await read(await act("pause", run.id, keys.editor))).toMatchObject({
      status: 200,
      body: { data: { status: "paused" } },
    });

    const resumed = await read(await act("resume", run.id, keys.editor));
    expect(resumed).toMatchObject({ status: 200, body: { data: { status: "queued" } } });
    expect(resumed.body.data.timeline.map((t: { to: string }) => t.to)).toEqual(["queued", "paused", "queued"]);

    const cancelled = await read(await act("cancel", run.id, keys.editor));
    expect(cancelled).toMatchObject({ status: 200, body: { data: { status: "cancelled" } } });
    expect(cancelled.body.data.finishedAt).toEqual(expect.any(String));

    expect((await expectError(await act("pause", run.id, keys.editor), 409, "CONFLICT")).message).toMatch(/already cancelled/);
    expect((await expectError(await act("resume", run.id, keys.editor), 409, "CONFLICT")).message).toMatch(/start a new run/);
    // Cancelling what is cancelled changes nothing.
    expect((await act("cancel", run.id, keys.editor)).status).toBe(200);
  });

  it("refuses a viewer key pausing, resuming or cancelling (403), and leaves the run as it was", async () => {
    const { run } = await triggerRun(a, { syncId: (await newSync()).id, trigger: "manual" });
    for (const verb of ["pause", "resume", "cancel"] as const) {
      expect((await expectError(await act(verb, run.id, keys.viewer), 403, "FORBIDDEN")).message).toMatch(/viewer/);
    }
    expect(await getRun(a, { runId: run.id })).toEqual(run);
  });

  it("answers 404 to another workspace's key for a run, on read and on every control", async () => {
    const { run } = await triggerRun(a, { syncId: (await newSync()).id, trigger: "manual" });
    await expectError(await getRunRoute(apiRequest(`/runs/${run.id}`, { key: keys.other }), withId(run.id)), 404, "NOT_FOUND");
    for (const verb of ["pause", "resume", "cancel"] as const)
      await expectError(await act(verb, run.id, keys.other), 404, "NOT_FOUND");
    expect(await getRun(a, { runId: run.id })).toEqual(run);
  });
});

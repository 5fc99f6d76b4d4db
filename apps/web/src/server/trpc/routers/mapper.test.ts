// The mapper router through createCaller: a destination object's fields (HubSpot contract + the account's
// properties from the HubSpot emulator, or the contract alone with a warning), suggestions, checks and payload
// previews from a model in a real warehouse — with roles and workspace isolation.
import "@/test/setup-env";
import { EMULATOR_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from "@sluice/connectors/destinations/hubspot/emulator";
import { SECRET_MASK } from "@sluice/connectors/kit/http-destination";
import { createDestination, createModel, createSource } from "@sluice/core";
import { Warehouse } from "@sluice/core/runs/testing/fixtures";
import { type Sink, startSink } from "@sluice/core/runs/testing/sink";
import { createSync } from "@sluice/core/syncs/create-sync";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "../root";

let hubspot: HubSpotEmulator;
let warehouse: Warehouse;
let sink: Sink;

beforeAll(async () => {
  hubspot = await startHubSpotEmulator({
    properties: { contacts: [{ name: "plan_tier", label: "Plan tier", type: "string" }] },
  });
  sink = await startSink();
  warehouse = await Warehouse.create("mapper_router");
  await warehouse.sql(`
    create table public.users (user_id int, email_address text, given_name text, surname text, plan text, spend numeric(8,2));
    insert into public.users values (1, 'a@x.io', 'Ada', 'Lovelace', 'pro', 12.50), (2, 'b@x.io', 'Grace', 'Hopper', 'free', null);
  `);
});
afterAll(async () => {
  await sink.close();
  await hubspot.close();
  await warehouse.close();
});

// The operator switch is on (as `npm start` sets it for the embedded default), so the local emulator is allowed.
const svc = () => ({ ...services(), allowPrivateDestinations: true });
const callerFor = (user: { id: string; name: string; email: string }) => createCaller({ services: svc(), user });

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function workspace(token = EMULATOR_TOKEN) {
  const s = svc();
  const { ctx } = await createWorkspaceWithOwner(s);
  const hs = await createDestination(ctx, {
    name: "HubSpot",
    type: "hubspot",
    config: { accessToken: token, baseUrl: hubspot.url },
  });
  const hook = await createDestination(ctx, { name: "Hook", type: "webhook", config: { url: "https://example.com/hook" } });
  const source = await createSource(ctx, {
    name: "W",
    type: "postgres",
    config: { connectionString: warehouse.url, sslMode: "disable" },
  });
  const model = await createModel(ctx, {
    name: "Users",
    sourceId: source.id,
    query: "select * from public.users",
    primaryKey: ["user_id"],
  });
  const as = async (role: "admin" | "editor" | "viewer") => callerFor(await addUserWithRole(s, ctx, role));
  return { slug: ctx.workspaceSlug, hubspotId: hs.id, hookId: hook.id, sourceId: source.id, modelId: model.id, as };
}

describe("tRPC mapper router", () => {
  it("describes an object: contract fields merged with the account's, and modes in words", async () => {
    const { slug, hubspotId, hookId, as } = await workspace();
    const viewer = await as("viewer");
    const contacts = await viewer.mapper.object({ workspace: slug, destinationId: hubspotId, object: "contacts" });
    expect(contacts).toMatchObject({
      accountFields: true,
      freeForm: false,
      warnings: [],
      object: { name: "contacts", label: "Contacts" },
    });
    expect(contacts.objects.map((o) => o.name)).toEqual(["contacts", "companies"]);
    expect(contacts.fields.find((f) => f.name === "plan_tier")).toMatchObject({ custom: true, type: "string" });
    expect(contacts.fields.find((f) => f.name === "email")).toMatchObject({ identifier: true, custom: false });
    expect(contacts.modes.find((m) => m.mode === "mirror")?.description).toBe(
      "Creates and updates contacts for new and changed rows, and deletes contacts whose rows disappear from the model.",
    );
    const hook = await viewer.mapper.object({ workspace: slug, destinationId: hookId });
    expect(hook).toMatchObject({ freeForm: true, fields: [], object: { name: "records" } });
  });

  it("falls back to the contract's fields with a warning when the account cannot be read", async () => {
    const { slug, hubspotId, as } = await workspace("pat-na1-revoked");
    const view = await (await as("viewer")).mapper.object({ workspace: slug, destinationId: hubspotId, object: "contacts" });
    expect(view.accountFields).toBe(false);
    expect(view.fields.map((f) => f.name)).not.toContain("plan_tier");
    expect(view.fields[0]).toMatchObject({ name: "email", identifier: true });
    expect(view.warnings[0]).toMatch(/^Could not read the contacts fields of "HubSpot" from HubSpot/);
  });

  it("suggests mappings from the model, checks them and previews the payloads", async () => {
    const { slug, hubspotId, modelId, as } = await workspace();
    const editor = await as("editor");
    const base = { workspace: slug, destinationId: hubspotId, object: "contacts" };
    const { suggestions } = await editor.mapper.suggest({ ...base, modelId });
    expect(suggestions.map((s) => `${s.from}→${s.to}`)).toEqual([
      "email_address→email",
      "given_name→firstname",
      "surname→lastname",
      "plan→plan_tier",
    ]);
    expect(suggestions[1]).toMatchObject({ score: 0.9, reason: '"given_name" and "firstname" usually mean the same thing' });

    const mappings = suggestions.map(({ from, to }) => ({ from, to }));
    const good = await editor.mapper.check({ ...base, modelId, mode: "upsert", mappings });
    expect(good).toMatchObject({ ok: true, issues: [] });
    const bad = await editor.mapper.check({
      ...base,
      modelId,
      mode: "mirror",
      mappings: [
        { from: "given_name", to: "firstname" },
        { from: "spend", to: "phone" },
      ],
    });
    expect(bad.ok).toBe(false);
    expect(bad.issues.map((i) => `${i.severity}:${i.code}`)).toEqual(["error:identifier_unmapped"]);
    expect(bad.issues[0]?.message).toBe(
      'No identifier is mapped: Mirror mode needs "Email" (email) to find each record in Contacts.',
    );

    const preview = await editor.mapper.preview({
      ...base,
      modelId,
      mappings: [...mappings, { from: "spend", to: "annual_spend", cast: "number" }],
    });
    expect(preview.samples.map((x) => x.payload)).toEqual([
      { ok: true, data: { email: "a@x.io", firstname: "Ada", lastname: "Lovelace", plan_tier: "pro", annual_spend: 12.5 } },
      { ok: true, data: { email: "b@x.io", firstname: "Grace", lastname: "Hopper", plan_tier: "free", annual_spend: null } },
    ]);
    expect(preview.samples[0]?.key).toEqual({ user_id: 1 });
    expect(preview.samples[0]?.row).toMatchObject({ spend: "12.50" });
    // Unsaved SQL works too, and a bad column is the row's reason.
    const unsaved = await editor.mapper.preview({
      ...base,
      sourceId: (await editor.model.get({ workspace: slug, id: modelId })).sourceId,
      query: "select email_address from public.users order by 1 limit 1",
      mappings: [{ from: "email", to: "email" }],
    });
    expect(unsaved.samples).toEqual([
      {
        key: null,
        row: { email_address: "a@x.io" },
        payload: { ok: false, reason: 'column "email" is missing from the model\'s row' },
      },
    ]);
  });

  it("lets viewers read and check given columns, but not run the model's SQL", async () => {
    const { slug, hubspotId, modelId, as } = await workspace();
    const viewer = await as("viewer");
    const base = { workspace: slug, destinationId: hubspotId, object: "contacts" };
    const fromColumns = await viewer.mapper.check({
      ...base,
      columns: [{ name: "mail", type: "text" }],
      mappings: [{ from: "mail", to: "email" }],
    });
    expect(fromColumns).toMatchObject({ ok: true, columns: [{ name: "mail", type: "text" }] });
    expect((await trpcError(viewer.mapper.suggest({ ...base, modelId }))).code).toBe("FORBIDDEN");
    expect((await trpcError(viewer.mapper.preview({ ...base, modelId, mappings: [{ from: "plan", to: "plan" }] }))).code).toBe(
      "FORBIDDEN",
    );
    const invalid = await trpcError(viewer.mapper.suggest({ ...base }));
    expect(invalid.code).toBe("BAD_REQUEST");
  });

  it("never reveals another workspace's destinations or models (NOT_FOUND)", async () => {
    const a = await workspace();
    const b = await workspace();
    const ownerB = await b.as("admin");
    const base = { workspace: b.slug, destinationId: a.hubspotId, object: "contacts" };
    expect((await trpcError(ownerB.mapper.object(base))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.mapper.suggest({ ...base, columns: [] }))).code).toBe("NOT_FOUND");
    const theirModel = { workspace: b.slug, destinationId: b.hubspotId, object: "contacts", modelId: a.modelId };
    expect((await trpcError(ownerB.mapper.preview({ ...theirModel, mappings: [] }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.mapper.check({ ...theirModel, mappings: [] }))).code).toBe("NOT_FOUND");
  });
});

describe("tRPC mapper.testSend", () => {
  const HOOK_TOKEN = "Bearer tok_mapper_router_0123456789";

  /** A workspace whose model reads public.users and whose webhook posts to the local sink, with a header token. */
  async function withSinkHook() {
    const s = svc();
    const { ctx } = await createWorkspaceWithOwner(s);
    const hook = await createDestination(ctx, {
      name: "Sink",
      type: "webhook",
      config: { url: sink.url, headers: { Authorization: HOOK_TOKEN }, signingSecret: "sink-signing-secret-0123456789" },
    });
    const source = await createSource(ctx, {
      name: "W",
      type: "postgres",
      config: { connectionString: warehouse.url, sslMode: "disable" },
    });
    const model = await createModel(ctx, {
      name: "Users",
      sourceId: source.id,
      query: "select * from public.users order by user_id",
      primaryKey: ["user_id"],
    });
    const as = async (role: "admin" | "editor" | "viewer") => callerFor(await addUserWithRole(s, ctx, role));
    return { ctx, slug: ctx.workspaceSlug, sinkId: hook.id, modelId: model.id, as };
  }

  it("sends one row of a draft sync and returns the record, the outcome and the exact exchange, secrets masked", async () => {
    const { slug, sinkId, modelId, as } = await withSinkHook();
    sink.reset();
    const editor = await as("editor");
    const result = await editor.mapper.testSend({
      workspace: slug,
      modelId,
      destinationId: sinkId,
      mode: "upsert",
      mappings: [
        { from: "email_address", to: "email" },
        { from: "spend", to: "traits.spend", cast: "number" },
        { constant: "router-test", to: "source" },
      ],
      key: { user_id: 1 },
    });
    expect(result.result).toEqual({ status: "ok" });
    expect(result.row).toMatchObject({ user_id: 1, email_address: "a@x.io" });
    expect(result.record).toMatchObject({
      op: "insert",
      key: { user_id: 1 },
      data: { email: "a@x.io", traits: { spend: 12.5 }, source: "router-test" },
    });
    expect(sink.received.map((r) => r.data)).toEqual([{ email: "a@x.io", traits: { spend: 12.5 }, source: "router-test" }]);
    expect(result.exchanges).toHaveLength(1);
    const [exchange] = result.exchanges;
    expect(exchange?.request).toMatchObject({ method: "POST", url: sink.url });
    expect(JSON.parse(exchange?.request.body ?? "")).toEqual(sink.batches[0]);
    expect(exchange?.request.headers.Authorization).toBe(SECRET_MASK);
    expect(JSON.stringify(result)).not.toContain(HOOK_TOKEN);
    expect(exchange?.response?.status).toBe(200);
    expect(exchange?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("tests a saved sync by id, and says why a row cannot be mapped without sending anything", async () => {
    const { slug, sinkId, modelId, ctx, as } = await withSinkHook();
    const sync = await createSync(ctx, {
      name: "Users to sink",
      modelId,
      destinationId: sinkId,
      mode: "mirror",
      mappings: [{ from: "email_address", to: "email" }],
    });
    sink.reset();
    const editor = await as("editor");
    const saved = await editor.mapper.testSend({ workspace: slug, syncId: sync.id });
    expect(saved.result).toEqual({ status: "ok" });
    expect(sink.received).toHaveLength(1);

    sink.reset();
    const unmappable = await editor.mapper.testSend({
      workspace: slug,
      modelId,
      destinationId: sinkId,
      mode: "upsert",
      mappings: [{ from: "given_name", to: "n", cast: "number" }],
    });
    expect(unmappable).toMatchObject({
      record: null,
      exchanges: [],
      result: { status: "mapping_failed", reason: 'column "given_name": "Ada" is not a number' },
    });
    expect(sink.received).toHaveLength(0);
  });

  it("is for editors and above, names the field at fault, and never reaches another workspace's models", async () => {
    const { slug, sinkId, modelId, as } = await withSinkHook();
    sink.reset();
    const draft = {
      workspace: slug,
      modelId,
      destinationId: sinkId,
      mode: "upsert" as const,
      mappings: [{ from: "plan", to: "plan" }],
    };
    const viewer = await as("viewer");
    const refused = await trpcError(viewer.mapper.testSend(draft));
    expect(refused.code).toBe("FORBIDDEN");
    expect(sink.received).toHaveLength(0);

    const editor = await as("editor");
    const invalid = await trpcError(editor.mapper.testSend({ ...draft, mappings: [] }));
    expect(invalid.code).toBe("BAD_REQUEST");
    expect((invalid.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors).toEqual({
      mappings: ["map at least one field"],
    });

    const other = await workspace();
    const foreign = await trpcError(editor.mapper.testSend({ ...draft, modelId: other.modelId }));
    expect(foreign.code).toBe("NOT_FOUND");
    expect(sink.received).toHaveLength(0);
  });
});

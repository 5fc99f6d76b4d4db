// The mapper router through createCaller: a destination object's fields (HubSpot contract + the account's
// properties from the HubSpot emulator, or the contract alone with a warning), suggestions, checks and payload
// previews from a model in a real warehouse — with roles and workspace isolation.
import "@/test/setup-env";
import { EMULATOR_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from "@sluice/connectors/destinations/hubspot/emulator";
import { createDestination, createModel, createSource } from "@sluice/core";
import { Warehouse } from "@sluice/core/runs/testing/fixtures";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "../root";

let hubspot: HubSpotEmulator;
let warehouse: Warehouse;

beforeAll(async () => {
  hubspot = await startHubSpotEmulator({
    properties: { contacts: [{ name: "plan_tier", label: "Plan tier", type: "string" }] },
  });
  warehouse = await Warehouse.create("mapper_router");
  await warehouse.sql(`
    create table public.users (user_id int, email_address text, given_name text, surname text, plan text, spend numeric(8,2));
    insert into public.users values (1, 'a@x.io', 'Ada', 'Lovelace', 'pro', 12.50), (2, 'b@x.io', 'Grace', 'Hopper', 'free', null);
  `);
});
afterAll(async () => {
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

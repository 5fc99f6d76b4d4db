// The mapper's destination side against real endpoints: the webhook's free-form object, HubSpot's contract
// fields merged with the account's own (read from the HubSpot emulator), the fallback with a warning when the
// account cannot be asked, and suggest / check / preview against a real warehouse.
import { EMULATOR_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from "@sluice/connectors/destinations/hubspot/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../context";
import { createModel } from "../models/create-model";
import { Warehouse } from "../runs/testing/fixtures";
import { createSource } from "../sources/create-source";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createDestination } from "./create-destination";
import {
  checkObjectMappings,
  describeDestinationObject,
  mergeFields,
  previewObjectMapping,
  suggestObjectMappings,
} from "./describe-destination-object";

const s = testServices({ allowPrivateDestinations: true });
let hubspot: HubSpotEmulator;
let warehouse: Warehouse;

beforeAll(async () => {
  hubspot = await startHubSpotEmulator({
    properties: {
      contacts: [
        {
          name: "plan_tier",
          label: "Plan tier",
          type: "enumeration",
          options: [
            { label: "Pro", value: "pro" },
            { label: "Free", value: "free" },
          ],
        },
        { name: "customer_key", label: "Customer key", type: "string", hasUniqueValue: true },
        { name: "score_calc", label: "Score (calculated)", type: "number", calculated: true },
      ],
    },
  });
  warehouse = await Warehouse.create("describe_object");
  await warehouse.sql(`
    create table public.contacts (id int, email_address text, surname text, plan text, score text, signed_up timestamptz);
    insert into public.contacts values (1, 'a@x.io', 'Lovelace', 'pro', '12.5', '2024-01-02 03:04:05+00'),
      (2, 'b@x.io', 'Hopper', 'free', 'n/a', null);
  `);
});
afterAll(async () => {
  await hubspot.close();
  await warehouse.close();
});

async function hubspotIn(ctx: WorkspaceContext, config: Record<string, unknown> = {}) {
  return createDestination(ctx, {
    name: `HubSpot ${Math.random()}`,
    type: "hubspot",
    config: { accessToken: EMULATOR_TOKEN, baseUrl: hubspot.url, ...config },
  });
}

describe("describeDestinationObject", () => {
  it("describes the webhook's one object as free-form, with every mode explained", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const hook = await createDestination(ctx, { name: "Hook", type: "webhook", config: { url: "https://example.com/h" } });
    const viewer = await asRole(ctx, "viewer");
    const view = await describeDestinationObject(viewer, { destinationId: hook.id });
    expect(view).toMatchObject({
      destinationName: "Hook",
      destinationType: "webhook",
      object: { name: "records", label: "Records" },
      objects: [{ name: "records", label: "Records" }],
      fields: [],
      freeForm: true,
      accountFields: false,
      warnings: [],
    });
    expect(view.modes.map((m) => m.mode)).toEqual(["upsert", "update", "insert", "mirror"]);
    expect(view.modes[3]?.description).toBe(
      "Creates and updates records for new and changed rows, and deletes records whose rows disappear from the model.",
    );
  });

  it("merges HubSpot's contract fields with the account's properties, leaving out read-only ones", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const destination = await hubspotIn(ctx);
    const before = hubspot.requests.length;
    const view = await describeDestinationObject(ctx, { destinationId: destination.id, object: "contacts" });
    expect(hubspot.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /crm/v3/properties/contacts"]);
    expect(view).toMatchObject({ freeForm: false, accountFields: true, warnings: [], object: { label: "Contacts" } });
    const names = view.fields.map((f) => f.name);
    expect(names.slice(0, 8)).toEqual([
      "email",
      "firstname",
      "lastname",
      "phone",
      "company",
      "jobtitle",
      "website",
      "lifecyclestage",
    ]);
    expect(names).toEqual(expect.arrayContaining(["plan_tier", "customer_key"]));
    expect(names).not.toContain("hs_object_id");
    expect(names).not.toContain("score_calc");
    expect(view.fields.find((f) => f.name === "email")).toMatchObject({ identifier: true, custom: false, label: "Email" });
    expect(view.fields.find((f) => f.name === "plan_tier")).toEqual({
      name: "plan_tier",
      label: "Plan tier",
      type: "string",
      options: ["pro", "free"],
      custom: true,
    });
    expect(view.modes[0]?.description).toMatch(/^Creates and updates contacts/);
  });

  it("lets the account's configured match key be the identifier", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const destination = await hubspotIn(ctx, { contactsIdProperty: "customer_key" });
    const view = await describeDestinationObject(ctx, { destinationId: destination.id, object: "contacts" });
    expect(view.fields.filter((f) => f.identifier).map((f) => f.name)).toEqual(["customer_key"]);
  });

  it("falls back to the contract's fields with a warning when the account refuses", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const destination = await hubspotIn(ctx, { accessToken: "pat-na1-wrong-token" });
    const view = await describeDestinationObject(ctx, { destinationId: destination.id, object: "companies" });
    expect(view.accountFields).toBe(false);
    expect(view.fields.map((f) => f.name)).toEqual([
      "domain",
      "name",
      "phone",
      "city",
      "country",
      "industry",
      "numberofemployees",
      "annualrevenue",
      "lifecyclestage",
    ]);
    expect(view.warnings).toHaveLength(1);
    expect(view.warnings[0]).toMatch(
      /^Could not read the companies fields of "HubSpot .*" from HubSpot \(.*\); showing the standard fields only\.$/,
    );
    expect(view.warnings[0]).not.toContain("pat-na1-wrong-token");
  });

  it("asks for an object when the destination has several, and names the choices", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const destination = await hubspotIn(ctx);
    const none = await describeDestinationObject(ctx, { destinationId: destination.id }).catch((e) => e);
    expect(none.code).toBe("BAD_REQUEST");
    expect(none.fieldErrors).toEqual({ object: ["HubSpot writes several objects: choose one of contacts, companies"] });
    const wrong = await describeDestinationObject(ctx, { destinationId: destination.id, object: "deals" }).catch((e) => e);
    expect(wrong.fieldErrors.object).toEqual(['"deals" is not an object of HubSpot; choose one of contacts, companies']);
    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(describeDestinationObject(stranger, { destinationId: destination.id, object: "contacts" }))).toBe(
      "NOT_FOUND",
    );
  });
});

describe("mergeFields", () => {
  it("keeps the contract's required flags and order, takes the account's labels and types, and adds its others", () => {
    const merged = mergeFields(
      [
        { name: "email", type: "string", identifier: true, required: true },
        { name: "age", label: "Age", type: "string" },
      ],
      [
        { name: "age", label: "Age (years)", type: "number" },
        { name: "vip", type: "boolean", description: "Very important" },
      ],
    );
    expect(merged).toEqual([
      { name: "email", type: "string", identifier: true, required: true, custom: false },
      { name: "age", label: "Age (years)", type: "number", custom: false },
      { name: "vip", type: "boolean", description: "Very important", custom: true },
    ]);
    expect(mergeFields([{ name: "a", type: "string" }], undefined)).toEqual([{ name: "a", type: "string", custom: false }]);
  });
});

describe("suggest, check and preview against a model", () => {
  async function setup() {
    const ctx = await workspaceWithRole(s, "admin");
    const destination = await hubspotIn(ctx);
    const source = await createSource(ctx, {
      name: "W",
      type: "postgres",
      config: { connectionString: warehouse.url, sslMode: "disable" },
    });
    const model = await createModel(ctx, {
      name: "C",
      sourceId: source.id,
      query: "select * from public.contacts",
      primaryKey: ["id"],
    });
    return { ctx, destinationId: destination.id, sourceId: source.id, modelId: model.id };
  }

  it("suggests mappings from the model's described columns", async () => {
    const { ctx, destinationId, modelId } = await setup();
    const { suggestions, columns } = await suggestObjectMappings(ctx, { destinationId, object: "contacts", modelId });
    expect(columns.map((c) => c.name)).toEqual(["id", "email_address", "surname", "plan", "score", "signed_up"]);
    expect(suggestions.map((x) => `${x.from}→${x.to}`)).toEqual(["email_address→email", "surname→lastname", "plan→plan_tier"]);
    // A viewer may suggest from columns it already has, but not make the warehouse describe a model.
    const viewer = await asRole(ctx, "viewer");
    const fromColumns = await suggestObjectMappings(viewer, {
      destinationId,
      object: "contacts",
      columns: [{ name: "plan_tier", type: "text" }],
    });
    expect(fromColumns.suggestions).toEqual([{ from: "plan_tier", to: "plan_tier", score: 1, reason: "same name" }]);
    expect(await errorCode(suggestObjectMappings(viewer, { destinationId, object: "contacts", modelId }))).toBe("FORBIDDEN");
  });

  it("checks a mapping against the model and the account's fields", async () => {
    const { ctx, destinationId, sourceId } = await setup();
    const result = await checkObjectMappings(ctx, {
      destinationId,
      object: "contacts",
      sourceId,
      query: "select * from public.contacts",
      mode: "upsert",
      mappings: [
        { from: "surname", to: "lastname" },
        { from: "plan", to: "plan_tier" },
        { from: "signed_up", to: "firstname" },
        { from: "scor", to: "website" },
      ],
    });
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => `${i.severity}:${i.code}`)).toEqual(["error:identifier_unmapped", "error:column_missing"]);
    expect(result.issues[0]?.fix).toBe('Map "email_address" to email.');
    expect(result.issues[1]?.fix).toBe('Did you mean "score"?');
  });

  it("previews the payloads of the model's first rows, with the reason a row would be rejected", async () => {
    const { ctx, destinationId, modelId } = await setup();
    const preview = await previewObjectMapping(ctx, {
      destinationId,
      object: "contacts",
      modelId,
      mappings: [
        { from: "email_address", to: "email" },
        { from: "score", to: "score", cast: "number" },
        { from: "signed_up", to: "meta.signed_up" },
      ],
    });
    expect(preview.samples).toEqual([
      {
        key: { id: 1 },
        row: {
          id: 1,
          email_address: "a@x.io",
          surname: "Lovelace",
          plan: "pro",
          score: "12.5",
          signed_up: "2024-01-02T03:04:05.000Z",
        },
        payload: { ok: true, data: { email: "a@x.io", score: 12.5, meta: { signed_up: "2024-01-02T03:04:05.000Z" } } },
      },
      {
        key: { id: 2 },
        row: { id: 2, email_address: "b@x.io", surname: "Hopper", plan: "free", score: "n/a", signed_up: null },
        payload: { ok: false, reason: 'column "score": "n/a" is not a number' },
      },
    ]);
    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(previewObjectMapping(stranger, { destinationId, object: "contacts", modelId, mappings: [] }))).toBe(
      "NOT_FOUND",
    );
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { describeConfigFields } from "../../kit/describe-fields";
import { getDestination } from "../../registry";
import { DEFAULT_OBJECTS } from "./emulator";
import { fieldType, listSalesforceFields } from "./list-fields";
import { testSalesforceConnection } from "./test-connection";
import { startTestOrg, type TestOrg } from "./testing";

let org: TestOrg | undefined;
afterEach(async () => {
  await org?.emulator.close();
  org = undefined;
});

describe("salesforce listFields (describe)", () => {
  it("lists the writable fields with types, required and identifier flags", async () => {
    org = await startTestOrg();
    const fields = await getDestination("salesforce")?.listFields?.(org.jwtConfig(), "contacts", { allowPrivate: true });
    const byName = Object.fromEntries((fields ?? []).map((f) => [f.name, f]));
    expect(byName.Id).toBeUndefined(); // not createable nor updateable
    expect(byName.CreatedDate).toBeUndefined();
    expect(byName.LastName).toMatchObject({ type: "string", required: true });
    expect(byName.HasOptedOutOfEmail).toMatchObject({ type: "boolean" });
    expect(byName.HasOptedOutOfEmail?.required).toBeUndefined(); // not nillable, but defaulted on create
    expect(byName.Birthdate).toMatchObject({ type: "date" });
    expect(byName.External_Id__c).toMatchObject({ identifier: true, description: "Salesforce type string; External ID, unique" });
    expect(byName.Email?.identifier).toBeUndefined();
    expect(byName.Email?.description).toContain("idLookup");
    const request = org.emulator.requests.find((r) => r.path.includes("describe"));
    expect(request?.path).toBe("/services/data/v62.0/sobjects/Contact/describe");
    const leads = await listSalesforceFields(org.jwtConfig(), "leads", { allowPrivate: true });
    expect(leads.filter((f) => f.required).map((f) => f.name)).toEqual(["LastName", "Company"]);
    await expect(listSalesforceFields(org.jwtConfig(), "toString", { allowPrivate: true })).rejects.toThrow(
      'Salesforce has no object "toString" in Sluice',
    );
  });

  it("maps Salesforce field types onto Sluice's", () => {
    expect(["int", "double", "currency", "percent", "datetime", "picklist", "address", "reference"].map(fieldType)).toEqual([
      "integer",
      "number",
      "number",
      "number",
      "datetime",
      "string",
      "json",
      "string",
    ]);
  });
});

describe("salesforce test connection", () => {
  it("signs in and finds the external ID field on every object", async () => {
    org = await startTestOrg();
    const check = await testSalesforceConnection(org.jwtConfig(), { allowPrivate: true });
    expect(check.ok).toBe(true);
    expect(check.steps.map((s) => s.name)).toEqual(["Sign in", "Check Contact", "Check Lead", "Check Account"]);
    expect(check.steps[0]?.message).toBe(
      `Signed in as integration@sluice.test with the JWT bearer flow; instance ${org.emulator.url}.`,
    );
    expect(check.steps[1]?.message).toMatch(
      /^Contact is readable \(\d+ writable fields\); records are matched on External_Id__c \(unique\)\.$/,
    );
  });

  it("says which object lacks its external ID field, and how to add it", async () => {
    org = await startTestOrg({
      objects: { ...DEFAULT_OBJECTS, Lead: (DEFAULT_OBJECTS.Lead ?? []).filter((f) => f.name !== "External_Id__c") },
    });
    const check = await testSalesforceConnection(org.passwordConfig({ externalIdFields: { Account: "Name" } }), {
      allowPrivate: true,
    });
    expect(check.ok).toBe(false);
    expect(check.steps.map((s) => s.ok)).toEqual([true, true, false, false]);
    expect(check.steps[2]?.message).toBe(
      'Lead has no field External_Id__c. To sync leads, create a Text(255) field named External_Id__c marked "External ID" and "Unique", or set externalIdFields.Lead to an existing External ID field.',
    );
    expect(check.steps[3]?.message).toContain('Account.Name is not marked "External ID"');
  });

  it("stops at a refused sign-in with what to fix", async () => {
    org = await startTestOrg({ approved: false });
    const check = await testSalesforceConnection(org.jwtConfig(), { allowPrivate: true });
    expect(check).toMatchObject({ ok: false, steps: [{ name: "Sign in", ok: false }] });
    expect(check.steps).toHaveLength(1);
    expect(check.steps[0]?.message).toContain("Pre-authorize the connected app");
  });

  it("has a described form with the secrets marked", () => {
    const connector = getDestination("salesforce");
    if (!connector) throw new Error("not registered");
    const fields = Object.fromEntries(describeConfigFields(connector).map((f) => [f.key, f]));
    expect(fields.authFlow).toMatchObject({ type: "enum", options: ["jwt", "password"], default: "jwt" });
    expect(fields.privateKey).toMatchObject({ secret: true, required: false });
    expect(fields.password).toMatchObject({ secret: true });
    expect(fields.clientSecret).toMatchObject({ secret: true });
    expect(fields.consumerKey).toMatchObject({ secret: false, required: true });
    expect(fields.externalIdFields).toMatchObject({ type: "record" });
    expect(fields.bulkThreshold).toMatchObject({ type: "number", default: 10_000 });
    expect(fields.apiVersion).toMatchObject({ default: "62.0" });
    for (const field of Object.values(fields)) expect(field.description).not.toBe("");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { hubspotConfigSchema } from "./config";
import { EMULATOR_TOKEN, type HubSpotEmulator, type HubSpotEmulatorOptions, startHubSpotEmulator } from "./emulator";
import { testHubSpotConnection } from "./test-connection";

let emulator: HubSpotEmulator;
afterEach(async () => {
  await emulator?.close();
});

const allow = { allowPrivate: true };
const companyKey = { companies: [{ name: "company_key", label: "Company key", type: "string" as const, hasUniqueValue: true }] };

async function check(o: HubSpotEmulatorOptions, config: Record<string, unknown> = {}) {
  emulator = await startHubSpotEmulator(o);
  return testHubSpotConnection(
    hubspotConfigSchema.parse({ accessToken: EMULATOR_TOKEN, baseUrl: emulator.url, ...config }),
    allow,
  );
}

describe("HubSpot test connection", () => {
  it("passes with a token that has every scope and unique identifying properties", async () => {
    const result = await check({ properties: companyKey, hubId: 123 }, { companiesIdProperty: "company_key" });
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ["Authenticate", true],
      ["Check scopes", true],
      ["Check contacts properties", true],
      ["Check companies properties", true],
    ]);
    expect(result.steps[0]?.message).toMatch(/HubSpot account 123/);
    expect(result.steps[2]?.message).toMatch(/contacts are matched on "email"/);
    // The token travels in the body of the token-info call, the properties calls use Bearer auth.
    expect(emulator.requests[0]).toMatchObject({
      path: "/oauth/v2/private-apps/get/access-token-info",
      body: { tokenKey: EMULATOR_TOKEN },
    });
    expect(emulator.requests[1]?.headers.authorization).toBe(`Bearer ${EMULATOR_TOKEN}`);
  });

  it("a token HubSpot does not know fails at once with where to copy it from", async () => {
    const result = await check({}, { accessToken: "pat-na1-stale" });
    expect(result.ok).toBe(false);
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]?.message).toMatch(/does not recognise this access token.*Private Apps/);
  });

  it("companies matched on domain: says the property must hold unique values and what to set", async () => {
    const result = await check({});
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)).toMatchObject({ name: "Check companies properties", ok: false });
    expect(result.steps.at(-1)?.message).toMatch(/"domain" does not hold unique values.*Set companiesIdProperty/);
  });

  it("an idProperty that does not exist names the setting", async () => {
    const result = await check({}, { contactsIdProperty: "external_id" });
    expect(result.steps.find((s) => !s.ok)?.message).toMatch(
      /contacts have no property named "external_id"\. Set contactsIdProperty/,
    );
  });

  it("reports scopes per object, and skips an object the app cannot write", async () => {
    const result = await check({
      tokens: { [EMULATOR_TOKEN]: ["crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.read"] },
    });
    expect(result.ok).toBe(true);
    expect(result.steps[1]?.message).toMatch(
      /contacts: ready; companies: missing crm\.objects\.companies\.read, crm\.objects\.companies\.write/,
    );
    expect(result.steps[3]?.message).toMatch(/Skipped/);
  });

  it("fails when the app can write neither object", async () => {
    const result = await check({ tokens: { [EMULATOR_TOKEN]: ["crm.objects.deals.read"] } });
    expect(result.steps[1]).toMatchObject({ name: "Check scopes", ok: false });
    expect(result.steps[1]?.message).toMatch(/cannot sync contacts or companies.*crm\.objects\.contacts\.write/);
  });
});

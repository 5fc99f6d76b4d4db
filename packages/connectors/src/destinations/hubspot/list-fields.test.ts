import { afterEach, describe, expect, it } from "vitest";
import { hubspotConfigSchema } from "./config";
import { EMULATOR_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from "./emulator";
import { listHubSpotFields } from "./list-fields";

let emulator: HubSpotEmulator;
afterEach(async () => {
  await emulator?.close();
});

const allow = { allowPrivate: true };

describe("HubSpot listFields", () => {
  it("lists the account's writable properties with our field types, options and the identifier", async () => {
    emulator = await startHubSpotEmulator({
      properties: {
        contacts: [
          { name: "external_id", label: "External ID", type: "string", hasUniqueValue: true, description: "From the warehouse" },
          { name: "seats", label: "Seats", type: "number" },
          { name: "trial", label: "On trial", type: "bool", fieldType: "booleancheckbox" },
          { name: "renewal", label: "Renewal date", type: "date" },
          {
            name: "tier",
            label: "Tier",
            type: "enumeration",
            fieldType: "checkbox",
            options: [{ label: "Gold", value: "gold" }],
          },
          { name: "ltv", label: "LTV", type: "number", calculated: true },
        ],
      },
    });
    const config = hubspotConfigSchema.parse({
      accessToken: EMULATOR_TOKEN,
      baseUrl: emulator.url,
      contactsIdProperty: "external_id",
    });
    const fields = await listHubSpotFields(config, "contacts", allow);
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName.external_id).toEqual({
      name: "external_id",
      label: "External ID",
      type: "string",
      identifier: true,
      description: "From the warehouse Unique values.",
    });
    expect(byName.seats).toMatchObject({ type: "number" });
    expect(byName.trial).toMatchObject({ type: "boolean" });
    expect(byName.renewal).toMatchObject({ type: "date" });
    expect(byName.tier).toMatchObject({ type: "string", options: ["gold"], description: "Several values: separate them with ;" });
    expect(byName.lifecyclestage?.options).toContain("customer");
    expect(byName.email?.identifier).toBeUndefined();
    // Read-only and calculated properties cannot be written, so the mapper does not offer them.
    expect(byName.hs_object_id).toBeUndefined();
    expect(byName.createdate).toBeUndefined();
    expect(byName.ltv).toBeUndefined();
    expect(emulator.requests.map((r) => [r.method, r.path])).toEqual([["GET", "/crm/v3/properties/contacts"]]);
  });

  it("explains a refused token, a missing schema scope, and an unknown object", async () => {
    emulator = await startHubSpotEmulator({ tokens: { "pat-no-schema": ["crm.objects.companies.write"] } });
    const wrong = hubspotConfigSchema.parse({ accessToken: "pat-wrong", baseUrl: emulator.url });
    await expect(listHubSpotFields(wrong, "contacts", allow)).rejects.toThrow(/HTTP 401.*private app access token/);
    const noSchema = hubspotConfigSchema.parse({ accessToken: "pat-no-schema", baseUrl: emulator.url });
    await expect(listHubSpotFields(noSchema, "companies", allow)).rejects.toThrow(/HTTP 403.*crm\.schemas\.companies\.read/);
    await expect(listHubSpotFields(noSchema, "deals", allow)).rejects.toThrow(/choose contacts or companies/);
  });

  it("refuses the emulator's loopback address unless private destinations are allowed", async () => {
    emulator = await startHubSpotEmulator();
    const config = hubspotConfigSchema.parse({ accessToken: EMULATOR_TOKEN, baseUrl: emulator.url });
    await expect(listHubSpotFields(config, "contacts", { allowPrivate: false })).rejects.toThrow(
      /not allowed.*SLUICE_ALLOW_PRIVATE_DESTINATIONS/,
    );
    expect(emulator.requests).toHaveLength(0);
  });
});

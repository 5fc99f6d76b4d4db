import { describe, expect, it } from "vitest";
import { webhookDestination } from "../destinations/webhook";
import { listDestinations, listWarehouses } from "../registry";
import { postgresWarehouse } from "../warehouses/postgres";
import { describeConfigFields } from "./describe-fields";

describe("describeConfigFields", () => {
  it("derives the postgres form: types, defaults, options and secrets", () => {
    const fields = Object.fromEntries(describeConfigFields(postgresWarehouse).map((f) => [f.key, f]));
    expect(fields.port).toMatchObject({ type: "number", default: 5432, required: false, secret: false });
    expect(fields.password).toMatchObject({ type: "string", secret: true });
    expect(fields.connectionString).toMatchObject({ secret: true });
    expect(fields.sslMode).toMatchObject({ type: "enum", options: ["disable", "require", "verify-full"], default: "require" });
  });

  it("marks webhook url required and headers a secret record", () => {
    const fields = Object.fromEntries(describeConfigFields(webhookDestination).map((f) => [f.key, f]));
    expect(fields.url).toMatchObject({ type: "string", required: true, secret: false });
    expect(fields.headers).toMatchObject({ type: "record", secret: true });
  });

  it("every field of every connector has a description for its form", () => {
    for (const connector of [...listWarehouses(), ...listDestinations()]) {
      for (const field of describeConfigFields(connector)) {
        expect(field.description, `${connector.slug}.${field.key}`).not.toBe("");
      }
    }
  });
});

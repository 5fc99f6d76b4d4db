import { SYNC_MODES } from "@sluice/contracts/sync-config";
import { describe, expect, it } from "vitest";
import { createDestination } from "../destinations/create-destination";
import { createModel } from "../models/create-model";
import { createSource } from "../sources/create-source";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createSync } from "./create-sync";
import { describeMode, describeModes, getSyncSettings } from "./describe-mode";

describe("describeMode", () => {
  it("says what each mode does to the records it writes", () => {
    expect(describeMode("mirror")).toBe(
      "Creates and updates records for new and changed rows, and deletes records whose rows disappear from the model.",
    );
    expect(describeMode("upsert", "Contacts")).toBe(
      "Creates and updates contacts for new and changed rows. Rows that disappear from the model leave their contacts in place.",
    );
    expect(describeMode("update", "Companies")).toBe(
      "Updates existing companies when their rows change. It never creates or deletes companies, so new rows are not sent.",
    );
    expect(describeMode("insert", " ")).toBe(
      "Creates records for new rows only. Changed rows and rows that disappear from the model are not sent.",
    );
  });

  it("describes every mode, in the order given, with its label", () => {
    const all = describeModes(SYNC_MODES, "Records");
    expect(all.map((m) => [m.mode, m.label])).toEqual([
      ["upsert", "Upsert"],
      ["update", "Update"],
      ["insert", "Insert"],
      ["mirror", "Mirror"],
    ]);
    expect(new Set(all.map((m) => m.description)).size).toBe(4);
  });
});

describe("getSyncSettings", () => {
  it("shows the sync with its mode described for the object it writes and its schedule in words", async () => {
    const s = testServices();
    const ctx = await workspaceWithRole(s, "admin");
    const source = await createSource(ctx, {
      name: "W",
      type: "postgres",
      config: { connectionString: "postgresql://u:p@h/db" },
    });
    const model = await createModel(ctx, { name: "M", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
    const hubspot = await createDestination(ctx, { name: "HS", type: "hubspot", config: { accessToken: "pat-na1-x" } });
    const sync = await createSync(ctx, {
      name: "S",
      modelId: model.id,
      destinationId: hubspot.id,
      object: "companies",
      mode: "mirror",
      mappings: [{ from: "id", to: "domain" }],
      schedule: { every: "15m" },
    });
    const settings = await getSyncSettings(await asRole(ctx, "viewer"), { id: sync.id });
    expect(settings).toMatchObject({
      id: sync.id,
      object: "companies",
      objectLabel: "Companies",
      scheduleSummary: "every 15m",
      modeDescription:
        "Creates and updates companies for new and changed rows, and deletes companies whose rows disappear from the model.",
    });
    expect(await errorCode(getSyncSettings(await workspaceWithRole(s, "owner"), { id: sync.id }))).toBe("NOT_FOUND");
  });
});

import { describe, expect, it } from "vitest";
import { listAuditLog } from "../audit/list-audit-log";
import { createDestination } from "../destinations/create-destination";
import { createSource } from "../sources/create-source";
import { createSync } from "../syncs/create-sync";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createModel } from "./create-model";
import { deleteModel } from "./delete-model";
import { getModel, listModels } from "./list-models";
import { updateModel } from "./update-model";

const s = testServices();
const pg = { connectionString: "postgresql://u:pw@db.example.com/w" };

describe("models", () => {
  it("creates, lists, updates and deletes, with audit entries", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const source = await createSource(ctx, { name: "W", type: "postgres", config: pg });
    const model = await createModel(ctx, { name: "Customers", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
    expect(model).toMatchObject({ name: "Customers", sourceName: "W", primaryKey: ["id"] });
    expect((await listModels(ctx)).map((m) => m.id)).toEqual([model.id]);
    const updated = await updateModel(ctx, { id: model.id, query: "select 2 as id, 3 as org", primaryKey: ["id", "org"] });
    expect(updated).toMatchObject({ query: "select 2 as id, 3 as org", primaryKey: ["id", "org"] });
    expect((await getModel(ctx, { id: model.id })).primaryKey).toEqual(["id", "org"]);
    await deleteModel(ctx, { id: model.id });
    expect(await errorCode(getModel(ctx, { id: model.id }))).toBe("NOT_FOUND");
    const actions = (await listAuditLog(ctx)).items.map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(["model.delete", "model.update", "model.create"]);
  });

  it("validates the query, primary key and source, writing nothing on error", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const other = await workspaceWithRole(s, "admin");
    const theirs = await createSource(other, { name: "Theirs", type: "postgres", config: pg });
    const bad = await createModel(ctx, { name: "M", sourceId: "x", query: " ", primaryKey: [] }).catch((e) => e);
    expect(bad.code).toBe("BAD_REQUEST");
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(["primaryKey", "query"]);
    const dup = await createModel(ctx, { name: "M", sourceId: "x", query: "select 1", primaryKey: ["id", "id"] }).catch((e) => e);
    expect(dup.fieldErrors.primaryKey).toEqual(["a primary key column is listed twice"]);
    const foreign = await createModel(ctx, { name: "M", sourceId: theirs.id, query: "select 1", primaryKey: ["id"] }).catch(
      (e) => e,
    );
    expect(foreign.fieldErrors).toEqual({ sourceId: ["Source not found"] });
    expect(await ctx.db.model.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
  });

  it("refuses duplicate names, and deleting a model a sync reads", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const source = await createSource(ctx, { name: "W", type: "postgres", config: pg });
    const model = await createModel(ctx, { name: "M", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
    expect(await errorCode(createModel(ctx, { name: "M", sourceId: source.id, query: "select 1", primaryKey: ["id"] }))).toBe(
      "CONFLICT",
    );
    const destination = await createDestination(ctx, { name: "D", type: "webhook", config: { url: "https://example.com/h" } });
    await createSync(ctx, {
      name: "S",
      modelId: model.id,
      destinationId: destination.id,
      mode: "upsert",
      mappings: [{ from: "id", to: "id" }],
    });
    const error = await deleteModel(ctx, { id: model.id }).catch((e) => e);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain('Model "M" is used by 1 sync ("S")');
  });

  it("is scoped by workspace and role", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const source = await createSource(ctx, { name: "W", type: "postgres", config: pg });
    const model = await createModel(ctx, { name: "M", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(getModel(stranger, { id: model.id }))).toBe("NOT_FOUND");
    expect(await errorCode(updateModel(stranger, { id: model.id, name: "X" }))).toBe("NOT_FOUND");
    expect(await errorCode(deleteModel(stranger, { id: model.id }))).toBe("NOT_FOUND");
    const viewer = await asRole(ctx, "viewer");
    expect((await listModels(viewer)).length).toBe(1);
    expect(await errorCode(updateModel(viewer, { id: model.id, name: "X" }))).toBe("FORBIDDEN");
    const editor = await asRole(ctx, "editor");
    expect((await updateModel(editor, { id: model.id, name: "Renamed" })).name).toBe("Renamed");
  });
});

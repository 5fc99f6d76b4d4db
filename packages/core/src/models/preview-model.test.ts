// Previewing model SQL against a real Postgres warehouse: typed columns, JSON-safe rows, a clear error for
// bad SQL, editors only, and the source must be this workspace's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../context";
import { Warehouse } from "../runs/testing/fixtures";
import { createSource } from "../sources/create-source";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createModel } from "./create-model";
import { describeModelColumns, jsonValue, previewModel, sampleModelRows } from "./preview-model";

const s = testServices();
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.create("preview_model");
  await warehouse.sql(`
    create table public.people (
      id int primary key, big bigint, price numeric(10,2), name text, active boolean, born date,
      seen timestamptz, props jsonb, tags text[], raw bytea, ratio double precision
    );
    insert into public.people values
      (1, 9007199254740993, 12.50, 'Ada', true, '1990-02-03', '2024-05-06 07:08:09+00', '{"a": [1, "x"]}', '{a,b}', '\\x0102', 'NaN'),
      (2, null, null, null, null, null, null, null, null, null, 0.5),
      (3, 3, 1, 'Cy', false, '2000-01-01', '2024-01-01 00:00:00+00', '[]', '{}', '', 1);
  `);
});
afterAll(async () => {
  await warehouse.close();
});

async function sourceIn(ctx: WorkspaceContext, url = warehouse.url) {
  const owner = ctx.role === "owner" || ctx.role === "admin" ? ctx : await asRole(ctx, "admin");
  return createSource(owner, {
    name: `W${Math.random()}`,
    type: "postgres",
    config: { connectionString: url, sslMode: "disable" },
  });
}

describe("previewModel", () => {
  it("returns typed columns and JSON-safe rows (bigint/numeric as text, dates ISO, bytes hex)", async () => {
    const ctx = await workspaceWithRole(s, "editor");
    const source = await sourceIn(ctx);
    const preview = await previewModel(ctx, { sourceId: source.id, query: "select * from public.people order by id;", limit: 2 });
    expect(preview.columns).toEqual([
      { name: "id", type: "integer" },
      { name: "big", type: "bigint" },
      { name: "price", type: "numeric(10,2)" },
      { name: "name", type: "text" },
      { name: "active", type: "boolean" },
      { name: "born", type: "date" },
      { name: "seen", type: "timestamp with time zone" },
      { name: "props", type: "jsonb" },
      { name: "tags", type: "text[]" },
      { name: "raw", type: "bytea" },
      { name: "ratio", type: "double precision" },
    ]);
    expect(preview.rows[0]).toEqual({
      id: 1,
      big: "9007199254740993",
      price: "12.50",
      name: "Ada",
      active: true,
      born: "1990-02-03",
      seen: "2024-05-06T07:08:09.000Z",
      props: { a: [1, "x"] },
      tags: ["a", "b"],
      raw: "\\x0102",
      ratio: "NaN",
    });
    expect(preview.rows[1]).toMatchObject({ id: 2, big: null, seen: null, ratio: 0.5 });
    expect(preview.rows).toHaveLength(2);
    expect(preview.truncated).toBe(true);
    expect(preview.elapsedMs).toBeGreaterThanOrEqual(0);
    // What leaves is plain JSON: it survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(preview.rows))).toEqual(preview.rows);
    const all = await previewModel(ctx, { sourceId: source.id, query: "select id from public.people", limit: 100 });
    expect(all).toMatchObject({ truncated: false, rows: [{ id: 1 }, { id: 2 }, { id: 3 }] });
  });

  it("answers invalid SQL with BAD_REQUEST and the warehouse's message", async () => {
    const ctx = await workspaceWithRole(s, "editor");
    const source = await sourceIn(ctx);
    const error = await previewModel(ctx, { sourceId: source.id, query: "selec id from public.people" }).catch((e) => e);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe('Model SQL is invalid: syntax error at or near "from".');
    expect(error.fieldErrors).toEqual({ query: [error.message] });
    const missing = await previewModel(ctx, { sourceId: source.id, query: "select nope from public.people" }).catch((e) => e);
    expect(missing.message).toBe('Model SQL is invalid: column "nope" does not exist.');
    // The preview is read-only: a write inside the model fails and changes nothing.
    const write = await previewModel(ctx, {
      sourceId: source.id,
      query: "select * from (with d as (delete from public.people returning *) select * from d) x",
    }).catch((e) => e);
    expect(write.code).toBe("BAD_REQUEST");
    expect((await warehouse.sql("select count(*)::int as n from public.people")).rows[0].n).toBe(3);
  });

  it("validates the input and caps the limit at 100", async () => {
    const ctx = await workspaceWithRole(s, "editor");
    const error = await previewModel(ctx, { sourceId: "x", query: " ", limit: 101 }).catch((e) => e);
    expect(error.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["limit", "query"]);
  });

  it("says when the warehouse cannot be reached", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const source = await sourceIn(ctx, "postgresql://postgres@127.0.0.1:1/nowhere");
    const error = await previewModel(ctx, { sourceId: source.id, query: "select 1" }).catch((e) => e);
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toMatch(/^Could not connect to warehouse "W/);
  });

  it("is for editors and above, on this workspace's sources only", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const source = await sourceIn(ctx);
    const viewer = await asRole(ctx, "viewer");
    expect(await errorCode(previewModel(viewer, { sourceId: source.id, query: "select 1" }))).toBe("FORBIDDEN");
    const viewerError = await previewModel(viewer, { sourceId: source.id, query: "select 1" }).catch((e) => e);
    expect(viewerError.message).toBe("Your role (viewer) cannot run queries on the warehouse; that needs editor or above.");
    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(previewModel(stranger, { sourceId: source.id, query: "select 1" }))).toBe("NOT_FOUND");
  });
});

describe("describeModelColumns and sampleModelRows", () => {
  it("describes a saved model's or unsaved SQL's columns, and passes given columns through", async () => {
    const ctx = await workspaceWithRole(s, "editor");
    const source = await sourceIn(ctx);
    const model = await createModel(ctx, {
      name: "P",
      sourceId: source.id,
      query: "select id, name from public.people",
      primaryKey: ["id"],
    });
    expect(await describeModelColumns(ctx, { modelId: model.id })).toEqual([
      { name: "id", type: "integer" },
      { name: "name", type: "text" },
    ]);
    expect(await describeModelColumns(ctx, { sourceId: source.id, query: "select price from public.people" })).toEqual([
      { name: "price", type: "numeric(10,2)" },
    ]);
    const viewer = await asRole(ctx, "viewer");
    expect(await describeModelColumns(viewer, { columns: [{ name: "a", type: "text" }] })).toEqual([{ name: "a", type: "text" }]);
    expect(await errorCode(describeModelColumns(viewer, { modelId: model.id }))).toBe("FORBIDDEN");
    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(describeModelColumns(stranger, { modelId: model.id }))).toBe("NOT_FOUND");

    const sample = await sampleModelRows(ctx, { modelId: model.id }, 1);
    expect(sample).toMatchObject({ primaryKey: ["id"], rows: [{ id: 1, name: "Ada" }] });
  });
});

describe("jsonValue", () => {
  it("turns driver values into plain JSON", () => {
    expect(jsonValue(10n)).toBe("10");
    expect(jsonValue(new Date("2024-01-02T03:04:05Z"))).toBe("2024-01-02T03:04:05.000Z");
    expect(jsonValue(new Date(Number.NaN))).toBeNull();
    expect(jsonValue(Buffer.from([255, 0]))).toBe("\\xff00");
    expect(jsonValue(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(jsonValue(undefined)).toBeNull();
    expect(jsonValue({ at: new Date(0), n: [1n, null] })).toEqual({ at: "1970-01-01T00:00:00.000Z", n: ["1", null] });
    expect(jsonValue({ toPostgres: () => "1 day" })).toBe("1 day");
  });
});

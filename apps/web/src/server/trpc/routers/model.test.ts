// The model router through createCaller against a real warehouse: CRUD, the table picker, preview with
// JSON-safe rows and a clear error for bad SQL, the primary key check — with roles and workspace isolation.
import "@/test/setup-env";
import { createSource } from "@sluice/core";
import type { WorkspaceContext } from "@sluice/core/context";
import { Warehouse } from "@sluice/core/runs/testing/fixtures";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "../root";

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.create("model_router");
  await warehouse.sql(`
    create schema crm;
    create table crm.people (id bigint, email text, spend numeric(10,2), joined date, seen timestamptz, tags text[]);
    insert into crm.people values (1, 'a@x.io', 10.50, '2024-01-02', '2024-01-02 03:04:05+00', '{vip}'),
      (1, 'b@x.io', 3, '2024-02-03', null, '{}'), (2, 'c@x.io', null, null, null, null), (null, 'd@x.io', 1, null, null, null);
  `);
});
afterAll(async () => {
  await warehouse.close();
});

const callerFor = (user: { id: string; name: string; email: string }) => createCaller({ services: services(), user });

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function workspace() {
  const s = services();
  const { ctx } = await createWorkspaceWithOwner(s);
  const source = await createSource(ctx, {
    name: "Warehouse",
    type: "postgres",
    config: { connectionString: warehouse.url, sslMode: "disable" },
  });
  const as = async (role: "admin" | "editor" | "viewer") => callerFor(await addUserWithRole(s, ctx, role));
  return { ctx: ctx as WorkspaceContext, slug: ctx.workspaceSlug, sourceId: source.id, as };
}

describe("tRPC model router", () => {
  it("lets an editor create, list, get, update and delete a model", async () => {
    const { slug, sourceId, as } = await workspace();
    const editor = await as("editor");
    const created = await editor.model.create({
      workspace: slug,
      name: "People",
      sourceId,
      query: "select * from crm.people",
      primaryKey: ["id"],
    });
    expect(created).toMatchObject({ name: "People", sourceName: "Warehouse", primaryKey: ["id"] });
    expect((await editor.model.list({ workspace: slug })).map((m) => m.id)).toEqual([created.id]);
    const updated = await editor.model.update({ workspace: slug, id: created.id, primaryKey: ["email"] });
    expect(updated.primaryKey).toEqual(["email"]);
    expect((await editor.model.get({ workspace: slug, id: created.id })).primaryKey).toEqual(["email"]);
    await editor.model.delete({ workspace: slug, id: created.id });
    expect((await trpcError(editor.model.get({ workspace: slug, id: created.id }))).code).toBe("NOT_FOUND");
  });

  it("browses schemas, tables and columns for the table picker (viewers too)", async () => {
    const { slug, sourceId, as } = await workspace();
    const viewer = await as("viewer");
    expect(await viewer.model.browse({ workspace: slug, sourceId })).toEqual({ level: "schemas", schemas: ["crm", "public"] });
    expect(await viewer.model.browse({ workspace: slug, sourceId, schema: "crm" })).toEqual({
      level: "tables",
      schema: "crm",
      tables: [{ name: "people", kind: "table" }],
    });
    const columns = await viewer.model.browse({ workspace: slug, sourceId, schema: "crm", table: "people" });
    expect(columns.level === "columns" && columns.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "id:bigint",
      "email:text",
      "spend:numeric(10,2)",
      "joined:date",
      "seen:timestamp with time zone",
      "tags:text[]",
    ]);
  });

  it("previews SQL with JSON-safe rows, and answers bad SQL with BAD_REQUEST and the warehouse's message", async () => {
    const { slug, sourceId, as } = await workspace();
    const editor = await as("editor");
    const preview = await editor.model.preview({
      workspace: slug,
      sourceId,
      query: "select * from crm.people order by email",
      limit: 2,
    });
    expect(preview.columns.map((c) => c.type)).toEqual([
      "bigint",
      "text",
      "numeric(10,2)",
      "date",
      "timestamp with time zone",
      "text[]",
    ]);
    expect(preview.rows).toEqual([
      { id: "1", email: "a@x.io", spend: "10.50", joined: "2024-01-02", seen: "2024-01-02T03:04:05.000Z", tags: ["vip"] },
      { id: "1", email: "b@x.io", spend: "3.00", joined: "2024-02-03", seen: null, tags: [] },
    ]);
    expect(preview.truncated).toBe(true);
    expect(typeof preview.elapsedMs).toBe("number");

    const bad = await trpcError(editor.model.preview({ workspace: slug, sourceId, query: "select * from crm.nobody" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toBe('Model SQL is invalid: relation "crm.nobody" does not exist.');
    const tooMany = await trpcError(editor.model.preview({ workspace: slug, sourceId, query: "select 1", limit: 101 }));
    expect(tooMany.code).toBe("BAD_REQUEST");
  });

  it("checks a primary key and says how many rows it would reject", async () => {
    const { slug, sourceId, as } = await workspace();
    const editor = await as("editor");
    const check = await editor.model.checkPrimaryKey({
      workspace: slug,
      sourceId,
      query: "select * from crm.people",
      primaryKey: ["id"],
    });
    expect(check).toMatchObject({ rows: 4, nullKeys: 1, duplicateKeys: 1, duplicateRows: 2, ok: false, examples: [{ id: "1" }] });
    expect(check.message).toBe(
      "1 key value is shared by 2 rows, e.g. id=1; 1 row has a null id — these rows would be rejected (3 of 4 rows).",
    );
    const good = await editor.model.checkPrimaryKey({
      workspace: slug,
      sourceId,
      query: "select * from crm.people",
      primaryKey: ["email"],
    });
    expect(good).toMatchObject({ ok: true, message: "All 4 rows have a unique, non-null email." });
    const missing = await trpcError(
      editor.model.checkPrimaryKey({ workspace: slug, sourceId, query: "select * from crm.people", primaryKey: ["uid"] }),
    );
    expect(missing.code).toBe("BAD_REQUEST");
    expect(missing.message).toMatch(/^The model has no column "uid"/);
  });

  it("keeps viewers to reading: no changes, no SQL on the warehouse", async () => {
    const { slug, sourceId, as } = await workspace();
    const viewer = await as("viewer");
    const input = { workspace: slug, sourceId, query: "select * from crm.people" };
    expect((await trpcError(viewer.model.create({ ...input, name: "X", primaryKey: ["id"] }))).code).toBe("FORBIDDEN");
    expect((await trpcError(viewer.model.preview(input))).code).toBe("FORBIDDEN");
    const forbidden = await trpcError(viewer.model.checkPrimaryKey({ ...input, primaryKey: ["id"] }));
    expect(forbidden.code).toBe("FORBIDDEN");
    expect(forbidden.message).toBe("Your role (viewer) cannot run queries on the warehouse; that needs editor or above.");
    expect(await viewer.model.list({ workspace: slug })).toEqual([]);
  });

  it("never shows or opens another workspace's models and sources (NOT_FOUND)", async () => {
    const a = await workspace();
    const b = await workspace();
    const model = await (await a.as("editor")).model.create({
      workspace: a.slug,
      name: "People",
      sourceId: a.sourceId,
      query: "select 1 as id",
      primaryKey: ["id"],
    });
    const ownerB = await b.as("admin");
    expect((await trpcError(ownerB.model.get({ workspace: b.slug, id: model.id }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.model.delete({ workspace: b.slug, id: model.id }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.model.browse({ workspace: b.slug, sourceId: a.sourceId }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.model.preview({ workspace: b.slug, sourceId: a.sourceId, query: "select 1" }))).code).toBe(
      "NOT_FOUND",
    );
    // Naming the other workspace itself: not a member, so it does not exist.
    expect((await trpcError(ownerB.model.list({ workspace: a.slug }))).code).toBe("NOT_FOUND");
    expect(await ownerB.model.list({ workspace: b.slug })).toEqual([]);
  });
});

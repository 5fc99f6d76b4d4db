// The source router through createCaller: who may do what (admins change, everyone reads), secrets masked
// on the way out and kept when sent back masked, and the connection check with the schemas to read.
import "@/test/setup-env";
import { randomBytes } from "node:crypto";
import { SECRET_MASK } from "@sluice/contracts/connections";
import { loadSourceWithSecrets } from "@sluice/core";
import { createScratchDatabase } from "@sluice/db/testing";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "../root";

const PASSWORD = `pw-${randomBytes(6).toString("hex")}`;
const ROLE = `sluice_router_${randomBytes(3).toString("hex")}`;
let admin: pg.Client;
let warehouse: { host: string; port: number; database: string; user: string; password: string; sslMode: "disable" };

beforeAll(async () => {
  const url = await createScratchDatabase("source_router");
  const u = new URL(url);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`
    create role ${ROLE} login password '${PASSWORD}';
    create schema shop; create table shop.orders (id int primary key);
    grant usage on schema shop to ${ROLE}; grant select on all tables in schema shop to ${ROLE};
    create schema sluice authorization ${ROLE};
  `);
  warehouse = {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: u.pathname.slice(1),
    user: ROLE,
    password: PASSWORD,
    sslMode: "disable",
  };
});
afterAll(async () => {
  await admin?.query(`drop owned by ${ROLE} cascade`).catch(() => {});
  await admin?.query(`drop role if exists ${ROLE}`).catch(() => {});
  await admin?.end();
});

const callerFor = (user: { id: string; name: string; email: string }) => createCaller({ services: services(), user });

async function trpcCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

async function workspace() {
  const s = services();
  const { ctx } = await createWorkspaceWithOwner(s);
  const slug = ctx.workspaceSlug;
  const as = async (role: "admin" | "editor" | "viewer") => callerFor(await addUserWithRole(s, ctx, role));
  return { s, ctx, slug, as };
}

describe("tRPC source router", () => {
  it("lists the warehouse types with their settings forms, secrets marked", async () => {
    const { slug, as } = await workspace();
    const types = await (await as("viewer")).source.types({ workspace: slug });
    const postgres = types.find((t) => t.slug === "postgres");
    expect(postgres?.name).toBe("PostgreSQL");
    expect(postgres?.fields.find((f) => f.key === "password")).toMatchObject({ secret: true, type: "string" });
    expect(postgres?.fields.find((f) => f.key === "sslMode")).toMatchObject({ type: "enum", default: "require" });
  });

  it("lets an admin create, test, edit with a masked secret and delete; the secret never comes back", async () => {
    const { s, slug, as } = await workspace();
    const caller = await as("admin");
    const schemas = ["shop"];

    const unsaved = await caller.source.test({ workspace: slug, type: "postgres", config: warehouse, schemas });
    expect(unsaved.steps.map((x) => [x.name, x.ok])).toEqual([
      ["Connect", true],
      ['Read 1 schema "shop"', true],
      ['Create and write tables in "sluice"', true],
      ["Run a query", true],
    ]);
    const wrong = await caller.source.test({ workspace: slug, type: "postgres", config: { ...warehouse, user: `${ROLE}_x` } });
    expect(wrong.ok).toBe(false);
    expect(wrong.steps[0]?.message).toContain("run the script's CREATE ROLE step");

    const created = await caller.source.create({ workspace: slug, name: "Shop warehouse", type: "postgres", config: warehouse });
    expect(created.config.password).toBe(SECRET_MASK);
    const listed = await caller.source.list({ workspace: slug });
    const got = await caller.source.get({ workspace: slug, id: created.id });
    expect(JSON.stringify([created, listed, got])).not.toContain(PASSWORD);

    // The edit form sends back what it was shown: the mask keeps the stored password, for a test and for a save.
    const edited = { ...got.config, database: warehouse.database, port: warehouse.port };
    const saved = await caller.source.test({ workspace: slug, id: created.id, config: edited, schemas });
    expect(saved.ok).toBe(true);
    await caller.source.update({ workspace: slug, id: created.id, name: "Shop", config: edited });
    expect((await loadSourceWithSecrets(s, created.id)).config.password).toBe(PASSWORD);
    // Typing a new one replaces it.
    await caller.source.update({ workspace: slug, id: created.id, config: { ...edited, password: "typed-new-one" } });
    expect((await loadSourceWithSecrets(s, created.id)).config.password).toBe("typed-new-one");
    const afterNew = await caller.source.test({ workspace: slug, id: created.id, schemas });
    // The machine's server may trust local connections; then any password connects.
    expect(afterNew.steps[0]?.name).toBe("Connect");

    await caller.source.delete({ workspace: slug, id: created.id });
    expect(await caller.source.list({ workspace: slug })).toEqual([]);
  });

  it("lets editors and viewers read sources but not create, edit, test or delete them", async () => {
    const { s, ctx, slug, as } = await workspace();
    const owner = await as("admin");
    const { id } = await owner.source.create({ workspace: slug, name: "W", type: "postgres", config: warehouse });
    for (const role of ["editor", "viewer"] as const) {
      const caller = await as(role);
      expect((await caller.source.list({ workspace: slug })).map((x) => x.id)).toEqual([id]);
      expect((await caller.source.get({ workspace: slug, id })).config.password).toBe(SECRET_MASK);
      expect(await trpcCode(caller.source.create({ workspace: slug, name: "X", type: "postgres", config: warehouse }))).toBe(
        "FORBIDDEN",
      );
      expect(await trpcCode(caller.source.update({ workspace: slug, id, name: "Y" }))).toBe("FORBIDDEN");
      expect(await trpcCode(caller.source.delete({ workspace: slug, id }))).toBe("FORBIDDEN");
      expect(await trpcCode(caller.source.test({ workspace: slug, id }))).toBe("FORBIDDEN");
      expect(await trpcCode(caller.source.test({ workspace: slug, type: "postgres", config: warehouse }))).toBe("FORBIDDEN");
    }
    const rows = await s.db.source.findMany({ where: { workspaceId: ctx.workspaceId } });
    expect(rows.map((r) => r.name)).toEqual(["W"]);
  });

  it("answers a bad config with per-field errors and saves nothing", async () => {
    const { s, ctx, slug, as } = await workspace();
    const caller = await as("admin");
    const error = await caller.source
      .create({ workspace: slug, name: "Bad", type: "postgres", config: { host: "", sslMode: "sometimes" } })
      .catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const fieldErrors = (error as TRPCError & { cause: { fieldErrors: Record<string, string[]> } }).cause.fieldErrors;
    expect(Object.keys(fieldErrors)).toEqual(expect.arrayContaining(["config.host", "config.sslMode", "config.user"]));
    expect(await s.db.source.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
  });
});

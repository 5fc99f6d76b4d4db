// "Test connection" and "list fields" of the PostgreSQL table destination against the machine's PostgreSQL,
// with real roles for the privilege checks and a wire-level fake for a refused password.
import { randomBytes } from "node:crypto";
import { createScratchDatabase } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuthFailingServer } from "../../warehouses/postgres/auth-failing-server.test-helper";
import { type PostgresTableConfig, postgresTableConfigSchema } from "./config";
import { listPostgresTableFields } from "./list-fields";
import { testPostgresTableConnection } from "./test-connection";

let url: string;
let db: pg.Client;
let table: string;
const roles: string[] = [];

beforeAll(async () => {
  url = await createScratchDatabase("pg_table_check");
  db = new pg.Client({ connectionString: url });
  await db.connect();
});
afterAll(async () => {
  for (const role of roles) await db.query(`drop owned by ${role}; drop role ${role}`);
  await db.end();
});
beforeEach(() => {
  table = `t_${randomBytes(3).toString("hex")}`;
});

const allowed = { allowPrivate: true };
const ROLE_PASSWORD = "role-password-for-tests";
const config = (extra: Record<string, unknown> = {}): PostgresTableConfig =>
  postgresTableConfigSchema.parse({ connectionString: url, sslMode: "disable", table, keyColumns: "id", ...extra });

/** A login role with a password (the embedded test server checks passwords) and the given grants on the table. */
async function roleWith(grants: string): Promise<PostgresTableConfig> {
  const role = `sluice_r_${randomBytes(3).toString("hex")}`;
  roles.push(role);
  await db.query(`create role ${role} login password '${ROLE_PASSWORD}'; grant usage on schema public to ${role}`);
  if (grants) await db.query(`grant ${grants} on public.${table} to ${role}`);
  const u = new URL(url);
  return config({
    connectionString: undefined,
    host: u.hostname,
    port: u.port,
    database: u.pathname.slice(1),
    user: role,
    password: ROLE_PASSWORD,
  });
}

describe("postgres-table testConnection", () => {
  it("passes every step for a table with a primary key on the key columns", async () => {
    await db.query(`create table public.${table} (id int primary key, email text)`);
    const check = await testPostgresTableConnection(config(), allowed);
    expect(check.steps.map((s) => [s.name, s.ok])).toEqual([
      ["Check the host", true],
      ["Connect", true],
      ["Find the table", true],
      ["Check privileges", true],
      ["Check the key columns", true],
    ]);
    expect(check.ok).toBe(true);
    const u = new URL(url);
    expect(check.steps[1]?.message).toMatch(/^Connected to PostgreSQL \d+\.\d+.* at /);
    expect(check.steps[1]?.message).toContain(` at ${u.hostname}:${u.port || 5432} as "${decodeURIComponent(u.username)}".`);
    expect(check.steps[2]?.message).toBe(`public.${table} exists with 2 columns.`);
    expect(check.steps[3]?.message).toBe("SELECT, INSERT, UPDATE and DELETE granted.");
    expect(check.steps[4]?.message).toBe("(id) has a unique index: upserts and deletes can match on it.");
  });

  it("fails on a missing table unless createTable is on (and the role may create it)", async () => {
    const missing = await testPostgresTableConnection(config(), allowed);
    expect(missing.ok).toBe(false);
    expect(missing.steps.at(-1)).toMatchObject({
      name: "Find the table",
      message: `Table public.${table} does not exist. Create it (with a primary key on id), or turn on "createTable".`,
    });
    const creatable = await testPostgresTableConnection(config({ createTable: true }), allowed);
    expect(creatable.ok).toBe(true);
    expect(creatable.steps[2]?.message).toContain("does not exist yet; Sluice will create it on the first run");
    expect(creatable.steps[4]?.message).toBe("(id) will be the primary key of the table Sluice creates.");

    await db.query(`revoke create on schema public from public`);
    const limited = await roleWith("");
    const refused = await testPostgresTableConnection({ ...limited, createTable: true }, allowed);
    expect(refused.ok).toBe(false);
    expect(refused.steps.at(-1)?.message).toContain(`may not create it. GRANT CREATE ON SCHEMA "public" TO "${limited.user}"`);
  });

  it("names the missing privileges and the GRANT that fixes them", async () => {
    await db.query(`create table public.${table} (id int primary key, email text)`);
    const readOnly = await roleWith("select");
    const check = await testPostgresTableConnection(readOnly, allowed);
    expect(check.ok).toBe(false);
    expect(check.steps.at(-1)).toMatchObject({
      name: "Check privileges",
      message: `"${readOnly.user}" lacks INSERT, UPDATE on public.${table}. Run: GRANT SELECT, INSERT, UPDATE, DELETE ON "public"."${table}" TO "${readOnly.user}"`,
    });
    const noDelete = await roleWith("select, insert, update");
    const partial = await testPostgresTableConnection(noDelete, allowed);
    expect(partial.ok).toBe(true);
    expect(partial.steps[3]?.message).toContain("DELETE is not, so mirror mode cannot remove rows");
  });

  it("fails when the key columns have no unique index, or do not exist", async () => {
    await db.query(`create table public.${table} (id int, email text, unique (email))`);
    const check = await testPostgresTableConnection(config(), allowed);
    expect(check.steps.at(-1)).toMatchObject({
      name: "Check the key columns",
      ok: false,
      message: `public.${table} has no primary key or unique index on exactly (id), which upserts match on. Add one: CREATE UNIQUE INDEX ON "public"."${table}" ("id")`,
    });
    expect((await testPostgresTableConnection(config({ keyColumns: "email" }), allowed)).ok).toBe(true);
    const absent = await testPostgresTableConnection(config({ keyColumns: "nope" }), allowed);
    expect(absent.steps.at(-1)?.message).toBe(`public.${table} has no column "nope". Fix the key columns.`);
  });

  it("explains a refused password at the Connect step", async () => {
    const fake = await startAuthFailingServer();
    try {
      const check = await testPostgresTableConnection(
        config({
          connectionString: undefined,
          host: "127.0.0.1",
          port: fake.port,
          database: "db",
          user: "sluice",
          password: "bad-secret",
        }),
        allowed,
      );
      expect(check.ok).toBe(false);
      expect(check.steps.at(-1)?.name).toBe("Connect");
      expect(check.steps.at(-1)?.message).toContain('Password authentication failed for user "sluice"');
      expect(JSON.stringify(check)).not.toContain("bad-secret");
    } finally {
      await fake.close();
    }
  });

  it.each(["127.0.0.1", "localhost", "10.0.0.5"])("refuses %s unless private addresses are allowed", async (host) => {
    const check = await testPostgresTableConnection(config({ connectionString: undefined, host, database: "db", user: "u" }), {
      allowPrivate: false,
    });
    expect(check.steps).toHaveLength(1);
    expect(check.steps[0]?.message).toContain("private or loopback address");
    expect(check.steps[0]?.message).toContain("SLUICE_ALLOW_PRIVATE_DESTINATIONS=true");
  });
});

describe("postgres-table listFields", () => {
  it("lists writable columns with our types, NOT NULL without default as required, the key as identifier", async () => {
    await db.query(`create domain public.${table}_email as text check (value like '%@%')`);
    await db.query(`create table public.${table} (
      id bigint generated by default as identity primary key, email ${table}_email not null, plan varchar(10) not null default 'free',
      score numeric(5,2), active boolean, born date, seen timestamptz, meta jsonb, tags text[], total int generated always as (1) stored)`);
    const fields = await listPostgresTableFields(config(), "rows", allowed);
    expect(fields).toEqual([
      { name: "id", type: "integer", required: false, identifier: true, description: "bigint" },
      { name: "email", type: "string", required: true, identifier: false, description: `${table}_email` },
      { name: "plan", type: "string", required: false, identifier: false, description: "character varying(10)" },
      { name: "score", type: "number", required: false, identifier: false, description: "numeric(5,2)" },
      { name: "active", type: "boolean", required: false, identifier: false, description: "boolean" },
      { name: "born", type: "date", required: false, identifier: false, description: "date" },
      { name: "seen", type: "datetime", required: false, identifier: false, description: "timestamp with time zone" },
      { name: "meta", type: "json", required: false, identifier: false, description: "jsonb" },
      { name: "tags", type: "json", required: false, identifier: false, description: "text[]" },
    ]);
  });

  it("lists only the key columns of a table that does not exist yet, and explains a refused host", async () => {
    expect(await listPostgresTableFields(config({ keyColumns: "a, b" }), "rows", allowed)).toEqual([
      expect.objectContaining({ name: "a", identifier: true, required: true }),
      expect.objectContaining({ name: "b", identifier: true, required: true }),
    ]);
    await expect(listPostgresTableFields(config(), "rows", { allowPrivate: false })).rejects.toThrow(
      /the database host is not allowed: 127\.0\.0\.1 is a private or loopback address/,
    );
  });
});

// The PostgreSQL table destination against the machine's real PostgreSQL: every mode's SQL semantics,
// composite keys, createTable, bad rows isolated among good ones, fatal configuration errors, transient
// failures retried, connection reuse, and what is recorded for the debugger.
import { randomBytes } from "node:crypto";
import dns from "node:dns/promises";
import net from "node:net";
import os from "node:os";
import { createScratchDatabase } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryBatch, DeliveryRecord } from "../../kit/delivery";
import { FatalDestinationError } from "../../kit/delivery";
import { isPrivateOrLoopbackHost } from "../../kit/network";
import { batch, FAST_DELIVERY as fast, rec } from "../../kit/table/testing";
import { getDestination } from "../../registry";
import { startAuthFailingServer } from "../../warehouses/postgres/auth-failing-server.test-helper";
import { type PostgresTableConfig, postgresTableConfigSchema } from "./config";
import { closePostgresTablePools, openPostgresTablePools } from "./connect";
import { deliverPostgresTableBatch } from "./deliver";

let url: string;
let db: pg.Client;
let table: string;
const ROLE_PASSWORD = "role-password-for-tests";

beforeAll(async () => {
  url = await createScratchDatabase("pg_table_dest");
  db = new pg.Client({ connectionString: url });
  await db.connect();
});
afterAll(async () => {
  await closePostgresTablePools();
  await db.end();
});
beforeEach(() => {
  table = `t_${randomBytes(3).toString("hex")}`;
});

const config = (extra: Partial<Record<keyof PostgresTableConfig, unknown>> = {}): PostgresTableConfig =>
  postgresTableConfigSchema.parse({ connectionString: url, sslMode: "disable", table, keyColumns: "id", ...extra });
const deliver = (records: DeliveryRecord[], mode: DeliveryBatch["mode"] = "upsert", extra = {}, options = fast) =>
  deliverPostgresTableBatch(config(extra), batch(records, mode), options);
const rows = async (order = "id") => (await db.query(`select * from public.${table} order by ${order}`)).rows;

async function contacts(): Promise<void> {
  await db.query(
    `create table public.${table} (id int primary key, email varchar(20) not null, plan text, score numeric, note text default 'keep')`,
  );
  await db.query(
    `insert into public.${table} (id, email, plan, note) values (1, 'a@x.io', 'free', 'n1'), (2, 'b@x.io', 'free', 'n2')`,
  );
}

describe("postgres-table: modes", () => {
  it("upsert inserts new rows and updates existing ones, leaving unmapped columns alone", async () => {
    await contacts();
    const outcome = await deliver([
      rec("update", { id: 1 }, { id: 1, email: "a@x.io", plan: "pro", score: 1.5 }),
      rec("insert", { id: 3 }, { id: 3, email: "c@x.io", plan: "free", score: 3 }),
    ]);
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(outcome.attempts).toBe(1);
    expect(await rows()).toEqual([
      { id: 1, email: "a@x.io", plan: "pro", score: "1.5", note: "n1" },
      { id: 2, email: "b@x.io", plan: "free", score: null, note: "n2" },
      { id: 3, email: "c@x.io", plan: "free", score: "3", note: "keep" },
    ]);
  });

  it("records the statement as a SQL request to a URL without the password", async () => {
    await contacts();
    const secretUrl = url.replace("postgres@", "postgres:hunter2-secret@");
    const outcome = await deliverPostgresTableBatch(
      config({ connectionString: secretUrl }),
      batch([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]),
      fast,
    );
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(outcome.request.method).toBe("SQL");
    const u = new URL(url);
    expect(outcome.request.url).toBe(`postgresql://${u.username}@${u.hostname}:${u.port || 5432}${u.pathname}`);
    expect(outcome.request.body).toContain(
      `INSERT INTO "public"."${table}" AS "__sluice_target" ("id", "email") VALUES ($1, $2)`,
    );
    expect(outcome.request.body).toContain(`ON CONFLICT ("id") DO UPDATE SET "email" = EXCLUDED."email"`);
    expect(outcome.request.body).toContain('-- values: [[3,"c@x.io"]]');
    expect(outcome.exchanges?.[0]?.response).toEqual({ status: 0, body: "OK: 1 rows" });
    expect(JSON.stringify(outcome)).not.toContain("hunter2-secret");
  });

  it("insert creates new rows and leaves existing ones as they are (ON CONFLICT DO NOTHING)", async () => {
    await contacts();
    const outcome = await deliver(
      [rec("insert", { id: 1 }, { id: 1, email: "changed@x.io" }), rec("insert", { id: 4 }, { id: 4, email: "d@x.io" })],
      "insert",
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(outcome.request.body).toContain('ON CONFLICT ("id") DO NOTHING');
    expect((await rows()).map((r) => [r.id, r.email])).toEqual([
      [1, "a@x.io"],
      [2, "b@x.io"],
      [4, "d@x.io"],
    ]);
  });

  it("update changes existing rows only and rejects records whose row does not exist", async () => {
    await contacts();
    // `email` is NOT NULL but not mapped: an UPDATE does not need it (an INSERT … ON CONFLICT would).
    const outcome = await deliver(
      [rec("update", { id: 2 }, { id: 2, plan: "enterprise" }), rec("update", { id: 9 }, { id: 9, plan: "pro" })],
      "update",
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "no row with this key in the table; update mode changes existing rows only" },
    ]);
    expect(outcome.request.body).toMatch(/^UPDATE "public"\."t_\w+" AS "__sluice_target" SET "plan" = "__sluice_values"\."plan"/);
    expect((await rows()).map((r) => [r.id, r.plan])).toEqual([
      [1, "free"],
      [2, "enterprise"],
    ]);
  });

  it("update rejects a value too long for its column instead of cutting it", async () => {
    await contacts();
    const outcome = await deliver([rec("update", { id: 1 }, { id: 1, email: "x".repeat(30) })], "update");
    expect(outcome.results[0]).toMatchObject({ status: "rejected", reason: expect.stringContaining("value too long") });
    expect((await rows())[0]?.email).toBe("a@x.io");
  });

  it("mirror upserts and deletes by the key, from the data or from the record's key; a delete without key is rejected", async () => {
    await contacts();
    await db.query(`insert into public.${table} (id, email) values (5, 'e@x.io')`);
    const outcome = await deliver(
      [
        rec("delete", { id: 1 }), // no data: the model's primary key names the key column
        rec("delete", { model_pk: 77 }, { id: 2, email: "b@x.io" }), // the last synced data carries it
        rec("delete", { model_pk: 5 }), // neither: cannot be matched
        rec("insert", { id: 6 }, { id: 6, email: "f@x.io" }),
        rec("delete", { id: 404 }), // already gone: fine
      ],
      "mirror",
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "ok" },
      { status: "rejected", reason: expect.stringContaining('cannot delete: the record carries no value for key column "id"') },
      { status: "ok" },
      { status: "ok" },
    ]);
    expect((await rows()).map((r) => r.id)).toEqual([5, 6]);
    expect(
      outcome.exchanges?.some((e) => e.request.body.startsWith(`DELETE FROM "public"."${table}" WHERE "id" IN ($1::integer`)),
    ).toBe(true);
  });

  it("applies two records for one key in batch order", async () => {
    await contacts();
    const outcome = await deliver(
      [
        rec("update", { id: 1 }, { id: 1, email: "first@x.io" }),
        rec("update", { id: 1 }, { id: 1, email: "second@x.io" }),
        rec("delete", { id: 2 }),
        rec("insert", { id: 2 }, { id: 2, email: "back@x.io" }),
      ],
      "mirror",
    );
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect((await rows()).map((r) => [r.id, r.email])).toEqual([
      [1, "second@x.io"],
      [2, "back@x.io"],
    ]);
  });

  it("rejects records without a key value, naming the column", async () => {
    await contacts();
    const outcome = await deliver([rec("insert", { other: 1 }, { email: "a@x.io" }), rec("insert", { id: 7 }, { id: null })]);
    expect(outcome.results).toEqual([
      { status: "rejected", reason: 'no value for key column "id": map a field to it (rows are matched on id)' },
      { status: "rejected", reason: 'key column "id" is null; every key column needs a value to match a row' },
    ]);
  });
});

describe("postgres-table: composite keys, nested values, createTable", () => {
  it("upserts, updates and deletes on a composite key", async () => {
    await db.query(`create table public.${table} (account_id int, email text, plan text, primary key (account_id, email))`);
    const keys = "account_id, email";
    const first = await deliver(
      [
        rec("insert", { a: 1 }, { account_id: 1, email: "a@x.io", plan: "free" }),
        rec("insert", { a: 2 }, { account_id: 2, email: "a@x.io", plan: "free" }),
      ],
      "mirror",
      { keyColumns: keys },
    );
    expect(first.results.every((r) => r.status === "ok")).toBe(true);
    const second = await deliver(
      [
        rec("update", { a: 1 }, { account_id: 1, email: "a@x.io", plan: "pro" }),
        rec("delete", { account_id: 2, email: "a@x.io" }),
      ],
      "mirror",
      { keyColumns: [" account_id", "email "] },
    );
    expect(second.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(
      second.exchanges?.some((e) => e.request.body.includes('WHERE ("account_id", "email") IN (($1::integer, $2::text))')),
    ).toBe(true);
    expect(await rows("account_id")).toEqual([{ account_id: 1, email: "a@x.io", plan: "pro" }]);
    const update = await deliver([rec("update", { a: 1 }, { account_id: 1, email: "a@x.io", plan: "team" })], "update", {
      keyColumns: keys,
    });
    expect(update.results).toEqual([{ status: "ok" }]);
    expect((await rows("account_id"))[0]?.plan).toBe("team");
  });

  it("writes nested objects as JSON, or spread over dot-named columns when the table has them", async () => {
    await db.query(`create table public.${table} (id int primary key, traits jsonb, "profile.city" text, tags text[])`);
    const outcome = await deliver([
      rec("insert", { id: 1 }, { id: 1, traits: { plan: "pro", n: [1, 2] }, profile: { city: "Oslo" }, tags: ["a", "b"] }),
      rec("insert", { id: 2 }, { id: 2, traits: "just a string" }),
    ]);
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(await rows()).toEqual([
      { id: 1, traits: { plan: "pro", n: [1, 2] }, "profile.city": "Oslo", tags: ["a", "b"] },
      { id: 2, traits: "just a string", "profile.city": null, tags: null },
    ]);
  });

  it("createTable makes the table from the first batch's values, with the key as primary key", async () => {
    const outcome = await deliver(
      [
        rec("insert", { id: 1 }, { id: 1, email: "a@x.io", score: 1, ratio: 0.5, active: true, born: "1990-01-02" }),
        rec("insert", { id: 2 }, { id: 2, email: null, score: 2, ratio: 2, seen: "2024-05-01T10:00:00Z", meta: { a: 1 } }),
      ],
      "upsert",
      { createTable: true, schema: `s_${table}` },
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    const { rows: columns } = await db.query(
      `select column_name, data_type, is_nullable from information_schema.columns
       where table_schema = $1 and table_name = $2 order by column_name`,
      [`s_${table}`, table],
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ["active", "boolean", "YES"],
      ["born", "date", "YES"],
      ["email", "text", "YES"],
      ["id", "bigint", "NO"],
      ["meta", "jsonb", "YES"],
      ["ratio", "double precision", "YES"],
      ["score", "bigint", "YES"],
      ["seen", "timestamp with time zone", "YES"],
    ]);
    const pk = await db.query(
      `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
       where i.indrelid = $1::regclass and i.indisprimary`,
      [`"s_${table}"."${table}"`],
    );
    expect(pk.rows.map((r) => r.attname)).toEqual(["id"]);
    const again = await deliver([rec("update", { id: 1 }, { id: 1, email: "new@x.io" })], "upsert", {
      createTable: true,
      schema: `s_${table}`,
    });
    expect(again.results).toEqual([{ status: "ok" }]);
    const stored = await db.query(`select id, email from "s_${table}"."${table}" order by id`);
    expect(stored.rows).toEqual([
      { id: "1", email: "new@x.io" },
      { id: "2", email: null },
    ]);
  });

  it("a mirror batch of only deletes against a missing table succeeds without creating it", async () => {
    const outcome = await deliver([rec("delete", { id: 1 })], "mirror", { createTable: true });
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect((await db.query("select to_regclass($1) as t", [`public.${table}`])).rows[0]?.t).toBeNull();
  });
});

describe("postgres-table: bad rows are isolated", () => {
  it("one NOT NULL violation among 500: 499 written, 1 rejected with PostgreSQL's message", async () => {
    await contacts();
    const records = Array.from({ length: 500 }, (_, i) =>
      rec("insert", { id: 100 + i }, { id: 100 + i, email: i === 321 ? null : `u${i}@x.io`, plan: "free" }),
    );
    const outcome = await deliver(records);
    const rejected = outcome.results.flatMap((r, i) => (r.status === "ok" ? [] : [[i, r]]));
    expect(rejected).toEqual([[321, { status: "rejected", reason: expect.stringContaining('null value in column "email"') }]]);
    expect(outcome.attempts).toBe(1);
    expect((await db.query(`select count(*)::int as n from public.${table} where id >= 100`)).rows[0]?.n).toBe(499);
    expect((await db.query(`select 1 from public.${table} where id = 421`)).rows).toEqual([]);
    // The failed statement and the row that failed alone are both in the debugger's record.
    expect(outcome.exchanges?.filter((e) => e.response?.body.startsWith("ERROR: null value")).length).toBe(2);
  });

  it("rejects each bad row with its own reason: too long, invalid input, check constraint, trigger, unique", async () => {
    await db.query(
      `create table public.${table} (id int primary key, email varchar(10) unique, age int check (age >= 0), note text)`,
    );
    await db.query(`create function public.${table}_guard() returns trigger language plpgsql as $$
      begin if new.note = 'forbidden' then raise exception 'note % is not allowed', new.note; end if; return new; end $$`);
    await db.query(
      `create trigger guard before insert or update on public.${table} for each row execute function public.${table}_guard()`,
    );
    await db.query(`insert into public.${table} (id, email) values (1, 'taken@x')`);
    const outcome = await deliver([
      rec("insert", { id: 2 }, { id: 2, email: "ok@x", age: 3 }),
      rec("insert", { id: 3 }, { id: 3, email: "much-too-long@x.io" }),
      rec("insert", { id: 4 }, { id: 4, age: "four" }),
      rec("insert", { id: 5 }, { id: 5, age: -1 }),
      rec("insert", { id: 6 }, { id: 6, note: "forbidden" }),
      rec("insert", { id: 7 }, { id: 7, email: "taken@x" }),
      rec("insert", { id: 8 }, { id: 8, age: 8 }),
    ]);
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "value too long for type character varying(10)" },
      { status: "rejected", reason: 'invalid input syntax for type integer: "four"' },
      { status: "rejected", reason: expect.stringContaining("violates check constraint") },
      { status: "rejected", reason: "note forbidden is not allowed" },
      {
        status: "rejected",
        reason: expect.stringMatching(
          /duplicate key value violates unique constraint .*\(Key \(email\)=\(taken@x\) already exists\.\)/,
        ),
      },
      { status: "ok" },
    ]);
    expect((await rows()).map((r) => r.id)).toEqual([1, 2, 8]);
  });

  it("splits statements to stay under 65535 parameters", async () => {
    const columns = Array.from({ length: 70 }, (_, i) => `c${i}`);
    await db.query(`create table public.${table} (id int primary key, ${columns.map((c) => `${c} int`).join(", ")})`);
    const records = Array.from({ length: 1000 }, (_, i) =>
      rec("insert", { id: i }, { id: i, ...Object.fromEntries(columns.map((c, j) => [c, i + j])) }),
    );
    const outcome = await deliver(records, "upsert", { batchSize: 1000 });
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    const statements = outcome.exchanges?.filter((e) => e.request.body.startsWith("INSERT")) ?? [];
    expect(statements.length).toBe(2); // 71 parameters a row: 923 rows, then 77
    expect(statements[0]?.request.body).toContain("-- 923 rows in all");
    expect((await db.query(`select count(*)::int as n, sum(c69)::int as s from public.${table}`)).rows[0]).toEqual({
      n: 1000,
      s: 1000 * 69 + (999 * 1000) / 2,
    });
  });
});

describe("postgres-table: failures", () => {
  const fatal = async (p: Promise<unknown>) => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FatalDestinationError);
    return (error as Error).message;
  };

  it("fails the run when the table is missing and createTable is off", async () => {
    const message = await fatal(deliver([rec("insert", { id: 1 }, { id: 1 })]));
    expect(message).toBe(
      `table public.${table} does not exist — create it (with a primary key or unique index on id), or turn on "createTable"`,
    );
  });

  it("fails the run when the key columns have no unique index, saying which to add", async () => {
    await db.query(`create table public.${table} (id int, email text)`);
    const message = await fatal(deliver([rec("insert", { id: 1 }, { id: 1 })]));
    expect(message).toContain("has no primary key or unique index on exactly (id)");
    expect(message).toContain(`CREATE UNIQUE INDEX ON "public"."${table}" ("id")`);
  });

  it("fails the run on a column the table lacks, and on a generated column", async () => {
    await db.query(`create table public.${table} (id int primary key, total int generated always as (id * 2) stored)`);
    expect(await fatal(deliver([rec("insert", { id: 1 }, { id: 1, nope: 2 })]))).toContain(
      `table public.${table} has no column "nope" — add it to the table (ALTER TABLE … ADD COLUMN …) or change the sync's mapping`,
    );
    expect(await fatal(deliver([rec("insert", { id: 1 }, { id: 1, total: 2 })]))).toContain(
      `column "total" of public.${table} is computed by the database and cannot be written`,
    );
  });

  it("fails the run when the role lacks a privilege, with the GRANT to run", async () => {
    await contacts();
    const role = `sluice_ro_${randomBytes(3).toString("hex")}`;
    await db.query(`create role ${role} login password '${ROLE_PASSWORD}'`);
    await db.query(`grant usage on schema public to ${role}; grant select on public.${table} to ${role}`);
    try {
      const u = new URL(url);
      const message = await fatal(
        deliverPostgresTableBatch(
          config({
            connectionString: undefined,
            host: u.hostname,
            port: u.port,
            database: u.pathname.slice(1),
            user: role,
            password: ROLE_PASSWORD,
          }),
          batch([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]),
          fast,
        ),
      );
      expect(message).toContain(`user "${role}" lacks a privilege on public.${table} (permission denied for table ${table})`);
      expect(message).toContain(`GRANT SELECT, INSERT, UPDATE, DELETE ON "public"."${table}" TO "${role}"`);
    } finally {
      await closePostgresTablePools();
      await db.query(`drop owned by ${role}; drop role ${role}`);
    }
  });

  it("fails the run when createTable may not create the table, with the GRANT to run", async () => {
    const role = `sluice_nc_${randomBytes(3).toString("hex")}`;
    await db.query(`create role ${role} login password '${ROLE_PASSWORD}'; grant usage on schema public to ${role}`);
    try {
      const u = new URL(url);
      const message = await fatal(
        deliverPostgresTableBatch(
          config({
            connectionString: undefined,
            host: u.hostname,
            port: u.port,
            database: u.pathname.slice(1),
            user: role,
            password: ROLE_PASSWORD,
            createTable: true,
          }),
          batch([rec("insert", { id: 1 }, { id: 1 })]),
          fast,
        ),
      );
      expect(message).toContain(`user "${role}" may not create table public.${table}`);
      expect(message).toContain(`GRANT CREATE ON SCHEMA "public" TO "${role}", or create the table yourself`);
    } finally {
      await closePostgresTablePools();
      await db.query(`drop owned by ${role}; drop role ${role}`);
    }
  });

  it("fails the run on a refused password, naming the user, never the password", async () => {
    const fake = await startAuthFailingServer();
    try {
      const cfg = config({ connectionString: undefined, host: "127.0.0.1", port: fake.port, database: "db", user: "sluice" });
      const message = await fatal(
        deliverPostgresTableBatch({ ...cfg, password: "wrong-secret" }, batch([rec("insert", { id: 1 }, { id: 1 })]), fast),
      );
      expect(message).toContain('Password authentication failed for user "sluice"');
      expect(message).not.toContain("wrong-secret");
      expect(fake.received).toEqual(["wrong-secret"]);
    } finally {
      await fake.close();
    }
  });

  it("refuses a private or loopback host unless allowed, before connecting", async () => {
    await contacts();
    for (const host of ["127.0.0.1", "localhost"]) {
      const message = await fatal(
        deliver(
          [rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })],
          "upsert",
          { connectionString: url.replace("127.0.0.1", host) },
          {
            ...fast,
            allowPrivate: false,
          },
        ),
      );
      expect(message).toContain("the database host is not allowed");
      expect(message).toContain(
        "a private or loopback address; Sluice refuses these unless SLUICE_ALLOW_PRIVATE_DESTINATIONS=true",
      );
    }
    expect((await rows()).map((r) => r.id)).toEqual([1, 2]);
  });

  it("checks the addresses a DNS name resolves to when connecting", async () => {
    // The machine's own hostname usually resolves (via /etc/hosts) to a loopback address.
    const name = os.hostname();
    const addresses = await dns.lookup(name, { all: true }).catch(() => []);
    if (!addresses.length || !addresses.every((a) => isPrivateOrLoopbackHost(a.address)) || isPrivateOrLoopbackHost(name)) return;
    await contacts();
    const viaName = { connectionString: url.replace("127.0.0.1", name) };
    const message = await fatal(
      deliver([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })], "upsert", viaName, { ...fast, allowPrivate: false }),
    );
    expect(message).toContain(
      `the database host is not allowed: ${name} resolves to ${addresses[0]?.address}, a private or loopback address`,
    );
    const allowed = await deliver([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })], "upsert", viaName);
    expect(allowed.results).toEqual([{ status: "ok" }]);
  });

  it("retries a lost connection within the call, then succeeds", async () => {
    await contacts();
    // The first attempt's backend dies mid-transaction (a sequence is not rolled back, so the second lives).
    await db.query(`create sequence public.${table}_kills`);
    await db.query(`create function public.${table}_kill() returns trigger language plpgsql as $$
      begin if nextval('public.${table}_kills') = 1 then perform pg_terminate_backend(pg_backend_pid()); end if; return new; end $$`);
    await db.query(`create trigger kill before insert on public.${table} for each row execute function public.${table}_kill()`);
    const outcome = await deliver([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]);
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(outcome.attempts).toBe(2);
    expect((await rows()).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it("retries deadlocks, then fails the records (retried next run) when they persist", async () => {
    await contacts();
    await db.query(`create sequence public.${table}_n`);
    await db.query(`create function public.${table}_busy() returns trigger language plpgsql as $$
      begin if nextval('public.${table}_n') <= 4 then raise exception 'deadlock detected' using errcode = '40P01'; end if; return new; end $$`);
    await db.query(`create trigger busy before insert on public.${table} for each row execute function public.${table}_busy()`);
    const outcome = await deliver([
      rec("insert", { id: 3 }, { id: 3, email: "c@x.io" }),
      rec("insert", { other: 1 }, { email: "no key" }),
    ]);
    expect(outcome.attempts).toBe(3);
    expect(outcome.results).toEqual([
      { status: "failed", reason: "PostgreSQL: deadlock detected (after 3 attempts)" },
      { status: "rejected", reason: expect.stringContaining('no value for key column "id"') },
    ]);
    // The fourth time through, the trigger lets it pass: a later run delivers it.
    const later = await deliver([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]);
    expect(later.results).toEqual([{ status: "ok" }]);
    expect(later.attempts).toBe(2);
  });

  it("fails the records when nothing listens, after the in-call retries", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await deliverPostgresTableBatch(
      config({ connectionString: undefined, host: "127.0.0.1", port, database: "db", user: "sluice" }),
      batch([rec("insert", { id: 1 }, { id: 1 })]),
      { ...fast, retry: { attempts: 2, baseMs: 1, capMs: 2 } },
    );
    expect(outcome.attempts).toBe(2);
    expect(outcome.results).toEqual([
      {
        status: "failed",
        reason: `nothing accepted a connection at 127.0.0.1:${port} (is PostgreSQL running?) (after 2 attempts)`,
      },
    ]);
  });
});

describe("postgres-table: connections", () => {
  it("reuses one pool across calls and closes it on request", async () => {
    await contacts();
    await closePostgresTablePools();
    for (let i = 0; i < 3; i++) await deliver([rec("insert", { id: 10 + i }, { id: 10 + i, email: "p@x.io" })]);
    expect(openPostgresTablePools()).toBe(1);
    const { rows: sessions } = await db.query(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'sluice'",
    );
    expect(sessions[0]?.n).toBe(1);
    await closePostgresTablePools();
    expect(openPostgresTablePools()).toBe(0);
  });

  it("is registered with the configured batch size", () => {
    const driver = getDestination("postgres-table")?.driver;
    expect(driver?.maxBatchRecords(config({ batchSize: 250 }))).toBe(250);
    expect(config().batchSize).toBe(1000);
  });

  it("refuses connection strings that name files on the Sluice server", () => {
    const parsed = postgresTableConfigSchema.safeParse({
      connectionString: `${url}?sslrootcert=/etc/passwd`,
      table: "t",
      keyColumns: "id",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain("sslrootcert");
  });
});

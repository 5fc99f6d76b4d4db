// The PostgreSQL warehouse adapter against a real server: snapshot, diff, keyset reads, outcomes, commit.
import { randomBytes } from "node:crypto";
import { createScratchDatabase } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DiffOp,
  type DiffRow,
  type OutcomeStatus,
  type RunTables,
  runTables,
  WarehouseError,
  type WarehouseSession,
} from "../../kit/warehouse";
import { postgresWarehouseAdapter } from "./adapter";
import { startAuthFailingServer } from "./auth-failing-server.test-helper";

const SCHEMA = "sluice_test";
let url: string;
let admin: pg.Client;
let s: WarehouseSession;

beforeAll(async () => {
  url = await createScratchDatabase("wh_session");
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  s = await postgresWarehouseAdapter.open({ connectionString: url, sluiceSchema: SCHEMA });
});
afterAll(async () => {
  await s?.close();
  await admin?.end();
});

const exec = (text: string) => admin.query(text);
const newId = () => randomBytes(5).toString("hex");
const ALL: DiffOp[] = ["added", "changed", "removed"];

interface RunSpec {
  query: string;
  primaryKey: string[];
  columns: string[];
  ops?: DiffOp[];
  fullResync?: boolean;
  pageSize?: number;
  /** Outcome per row; "pending" leaves it unmarked (as if never attempted). Default: delivered. */
  outcome?: (row: DiffRow) => OutcomeStatus | "pending";
  commit?: boolean;
}

async function readAll(tables: RunTables, spec: RunSpec): Promise<DiffRow[]> {
  const out: DiffRow[] = [];
  let after: unknown[] | null = null;
  for (;;) {
    const page = await s.readDiffPage({
      tables,
      primaryKey: spec.primaryKey,
      columns: spec.columns,
      after,
      limit: spec.pageSize ?? 1000,
    });
    if (page.length === 0) return out;
    out.push(...page);
    const last = page[page.length - 1] as DiffRow;
    // The cursor travels through the run's JSON checkpoint.
    after = JSON.parse(JSON.stringify(spec.primaryKey.map((c) => last.key[c])));
  }
}

async function run(syncId: string, spec: RunSpec) {
  const tables = runTables(SCHEMA, syncId, newId());
  const snap = await s.snapshot({ tables, query: spec.query, primaryKey: spec.primaryKey, columns: spec.columns });
  const counts = await s.diff({
    tables,
    primaryKey: spec.primaryKey,
    columns: spec.columns,
    ops: spec.ops ?? ALL,
    fullResync: spec.fullResync ?? false,
  });
  const rows = await readAll(tables, spec);
  const outcomes = rows
    .map((r) => ({ key: r.key, status: spec.outcome?.(r) ?? "delivered" }))
    .filter((o): o is { key: Record<string, unknown>; status: OutcomeStatus } => o.status !== "pending");
  await s.markOutcomes({ tables, primaryKey: spec.primaryKey, outcomes });
  if (spec.commit !== false) await s.commit({ tables, primaryKey: spec.primaryKey, columns: spec.columns });
  return { tables, snap, counts, rows, ops: summary(rows) };
}

/** "added:1", "changed:2", … sorted. */
function summary(rows: DiffRow[]): string[] {
  return rows.map((r) => `${r.op}:${Object.values(r.key).join("|")}`).sort();
}

async function tableNames(): Promise<string[]> {
  const { rows } = await admin.query("select tablename from pg_tables where schemaname = $1 order by 1", [SCHEMA]);
  return rows.map((r) => r.tablename);
}

describe("snapshot and diff", () => {
  it("sends everything on the first run, then exactly the scripted changes", async () => {
    await exec(`create table people (id int primary key, email text, plan text, note text, updated_at timestamptz)`);
    await exec(`insert into people values (1, 'a@x', 'free', 'n1', '2024-01-01'), (2, 'b@x', 'pro', 'n2', '2024-01-01'),
                (3, 'c@x', null, 'n3', null)`);
    const spec = { query: "select * from people;", primaryKey: ["id"], columns: ["email", "plan"] };
    const sync = newId();
    const first = await run(sync, spec);
    expect(first.snap).toEqual({ rows: 3, quarantined: [], quarantinedCount: 0 });
    expect(first.counts).toEqual({ added: 3, changed: 0, removed: 0 });
    expect(first.ops).toEqual(["added:1", "added:2", "added:3"]);
    expect(first.rows[0]).toMatchObject({
      op: "added",
      key: { id: 1 },
      row: { id: 1, email: "a@x", plan: "free" },
      prevHash: null,
    });
    expect(first.rows[0]?.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(first.rows[0]?.row).not.toHaveProperty("note");

    await exec(`insert into people values (4, 'd@x', 'free', 'n4', null)`); // insert
    await exec(`update people set plan = 'enterprise' where id = 2`); // mapped column
    await exec(`update people set note = 'changed', updated_at = now() where id = 1`); // unmapped columns only
    await exec(`delete from people where id = 3`);
    const second = await run(sync, spec);
    expect(second.counts).toEqual({ added: 1, changed: 1, removed: 1 });
    expect(second.ops).toEqual(["added:4", "changed:2", "removed:3"]);
    const changed = second.rows.find((r) => r.op === "changed");
    expect(changed?.row).toEqual({ id: 2, email: "b@x", plan: "enterprise" });
    expect(changed?.prevHash).toBe(first.rows.find((r) => r.key.id === 2)?.hash);
    const removed = second.rows.find((r) => r.op === "removed");
    expect(removed?.row).toEqual({ id: 3, email: "c@x", plan: null }); // its last committed values
    expect(removed?.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(removed?.hash).not.toBe(removed?.prevHash);

    const third = await run(sync, spec);
    expect(third.counts).toEqual({ added: 0, changed: 0, removed: 0 });
    // Only the committed snapshot remains.
    expect(await tableNames()).toContain(runTables(SCHEMA, sync, "x").committed);
    expect(
      (await tableNames()).filter((n) => n.startsWith(`snap_${sync}_`) || (n.includes(sync) && !n.startsWith("snap_"))),
    ).toEqual([]);
  });

  it("quarantines null and duplicate keys with reasons, and never reports them as removed", async () => {
    await exec(`create table q (id int, name text)`);
    await exec(`insert into q values (1, 'one'), (2, 'two'), (3, 'three')`);
    const spec = { query: "select id, name from q", primaryKey: ["id"], columns: ["name"] };
    const sync = newId();
    expect((await run(sync, spec)).counts.added).toBe(3);

    await exec(`insert into q values (2, 'two again'), (2, 'two thrice'), (null, 'nobody'), (null, 'nobody'), (null, 'x')`);
    await exec(`update q set name = 'ONE' where id = 1`);
    const second = await run(sync, { ...spec, commit: false });
    expect(second.snap.rows).toBe(2);
    expect(second.snap.quarantinedCount).toBe(2); // distinct keys: 2 (three rows) and null (three rows)
    expect(second.snap.quarantined).toEqual([
      { key: { id: 2 }, reason: "duplicate primary key (3 rows)" },
      { key: { id: null }, reason: "null primary key (id), 3 rows" },
    ]);
    expect(second.ops).toEqual(["changed:1"]); // 2 is duplicated: not removed
    await s.commit({ tables: second.tables, primaryKey: spec.primaryKey, columns: spec.columns });

    // The duplicate resolved back to its committed state: nothing to send (the committed row was kept).
    await exec(`delete from q where id is null or name <> 'two' and id = 2`);
    expect((await run(sync, spec)).ops).toEqual([]);
    // Resolved to a different state: an update.
    await exec(`update q set name = 'deux' where id = 2`);
    expect((await run(sync, spec)).ops).toEqual(["changed:2"]);
  });

  it("names null columns of composite keys", async () => {
    await exec(`create table qc (a text, b int, v text)`);
    await exec(`insert into qc values (null, null, 'x'), ('k', null, 'y'), ('k', 1, 'z')`);
    const r = await run(newId(), { query: "select * from qc", primaryKey: ["a", "b"], columns: ["v"] });
    expect(r.snap.quarantined).toEqual([
      { key: { a: "k", b: null }, reason: "null primary key (b)" },
      { key: { a: null, b: null }, reason: "null primary key (a, b)" },
    ]);
    expect(r.ops).toEqual(["added:k|1"]);
  });

  it("handles composite keys (text + bigint) with keyset paging across pages, values round-tripped through JSON", async () => {
    await exec(`create table events (tenant text, seq bigint, amount numeric(12,2), at date, payload jsonb)`);
    await exec(`insert into events
                select t, 9007199254740990 + g, g * 1.5, date '2024-02-28' + g, jsonb_build_object('g', g)
                from unnest(array['acme', 'Acme', 'beta co', 'zeta''s']) t, generate_series(1, 13) g`);
    const spec = {
      query: "select * from events",
      primaryKey: ["tenant", "seq"],
      columns: ["amount", "at", "payload"],
      pageSize: 5,
    };
    const sync = newId();
    const first = await run(sync, spec);
    expect(first.rows).toHaveLength(52);
    expect(new Set(first.rows.map((r) => JSON.stringify(r.key))).size).toBe(52);
    // bigint and numeric come back as strings; beyond 2^53 nothing is rounded.
    const sample = first.rows.find((r) => r.key.tenant === "acme" && r.key.seq === "9007199254740993");
    expect(sample?.row).toEqual({ tenant: "acme", seq: "9007199254740993", amount: "4.50", at: "2024-03-02", payload: { g: 3 } });
    // Pages come in primary key order (the database's collation decides text order).
    const { rows: expected } = await admin.query<{ tenant: string; seq: string }>(
      "select tenant, seq::text from events order by tenant, seq",
    );
    expect(first.rows.map((r) => `${r.key.tenant}|${r.key.seq}`)).toEqual(expected.map((r) => `${r.tenant}|${r.seq}`));

    await exec(`update events set amount = amount + 1 where seq = 9007199254740993`);
    await exec(`delete from events where tenant = 'zeta''s' and seq > 9007199254741000`);
    const second = await run(sync, spec);
    expect(second.counts).toEqual({ added: 0, changed: 4, removed: 3 });
    expect(second.ops).toEqual([
      "changed:Acme|9007199254740993",
      "changed:acme|9007199254740993",
      "changed:beta co|9007199254740993",
      "changed:zeta's|9007199254740993",
      "removed:zeta's|9007199254741001",
      "removed:zeta's|9007199254741002",
      "removed:zeta's|9007199254741003",
    ]);
  });

  it("full resync: rows in both are changed whatever their hash, new rows added, gone rows removed", async () => {
    await exec(`create table fr (id int, v text)`);
    await exec(`insert into fr values (1, 'a'), (2, 'b'), (3, 'c')`);
    const spec = { query: "select * from fr", primaryKey: ["id"], columns: ["v"] };
    const sync = newId();
    await run(sync, spec);
    await exec(`insert into fr values (4, 'd')`);
    await exec(`delete from fr where id = 3`);
    const r = await run(sync, { ...spec, fullResync: true });
    expect(r.ops).toEqual(["added:4", "changed:1", "changed:2", "removed:3"]);
    const unchanged = r.rows.find((x) => x.key.id === 1);
    expect(unchanged?.hash).toBe(unchanged?.prevHash);
  });

  it("ignores a committed snapshot keyed differently (primary key changed): everything is added", async () => {
    await exec(`create table pkc (id int, email text)`);
    await exec(`insert into pkc values (1, 'same@x'), (2, 'same@x'), (3, 'other@x')`);
    const sync = newId();
    await run(sync, { query: "select * from pkc", primaryKey: ["id"], columns: ["email"] });
    await exec(`delete from pkc where id = 2`);
    const byEmail = await run(sync, { query: "select * from pkc", primaryKey: ["email"], columns: ["id"], fullResync: true });
    expect(byEmail.ops).toEqual(["added:other@x", "added:same@x"]);
    expect((await run(sync, { query: "select * from pkc", primaryKey: ["email"], columns: ["id"] })).ops).toEqual([]);
  });

  it("keeps only the requested ops", async () => {
    await exec(`create table opsf (id int, v text)`);
    await exec(`insert into opsf values (1, 'a'), (2, 'b'), (3, 'c')`);
    const spec = { query: "select * from opsf", primaryKey: ["id"], columns: ["v"] };
    const sync = newId();
    await run(sync, spec);
    await exec(`insert into opsf values (4, 'd'); update opsf set v = 'B' where id = 2; delete from opsf where id = 3`);
    const expectations: [DiffOp[], string[]][] = [
      [["added"], ["added:4"]],
      [["changed"], ["changed:2"]],
      [["removed"], ["removed:3"]],
      [
        ["added", "changed"],
        ["added:4", "changed:2"],
      ],
      [[], []],
    ];
    for (const [ops, expected] of expectations) {
      const r = await run(sync, { ...spec, ops, commit: false });
      expect(r.ops).toEqual(expected);
      expect(r.counts).toEqual({
        added: expected.filter((e) => e.startsWith("added")).length,
        changed: expected.filter((e) => e.startsWith("changed")).length,
        removed: expected.filter((e) => e.startsWith("removed")).length,
      });
      await s.cleanup({ tables: r.tables });
    }
    // First run with only "changed" requested: nothing (no committed snapshot means everything is new).
    const fresh = await run(newId(), { ...spec, ops: ["changed"], commit: false });
    expect(fresh.ops).toEqual([]);
  });

  it("hashes only pk + mapped columns, type-stably: the session's time zone does not matter", async () => {
    await exec(`create table tz (id int, at timestamptz, f float8, ts timestamp)`);
    await exec(`insert into tz values (1, '2024-06-01 12:00:00+02', 0.1, '2024-06-01 12:00:00.5')`);
    const spec = { query: "select * from tz", primaryKey: ["id"], columns: ["at", "f", "ts"] };
    const sync = newId();
    const first = await run(sync, spec);
    expect(first.rows[0]?.row).toEqual({
      id: 1,
      at: new Date("2024-06-01T10:00:00Z"),
      f: 0.1,
      ts: new Date("2024-06-01T12:00:00.500Z"),
    });
    const dbName = new URL(url).pathname.slice(1);
    await exec(`alter database ${pg.escapeIdentifier(dbName)} set timezone = 'Asia/Kolkata'`);
    await exec(`alter database ${pg.escapeIdentifier(dbName)} set datestyle = 'SQL, DMY'`);
    const other = await postgresWarehouseAdapter.open({ connectionString: url, sluiceSchema: SCHEMA });
    try {
      const tables = runTables(SCHEMA, sync, newId());
      await other.snapshot({ tables, ...spec });
      expect(await other.diff({ tables, ...spec, ops: ALL, fullResync: false })).toEqual({ added: 0, changed: 0, removed: 0 });
      await other.cleanup({ tables });
    } finally {
      await other.close();
      await exec(`alter database ${pg.escapeIdentifier(dbName)} reset timezone`);
      await exec(`alter database ${pg.escapeIdentifier(dbName)} reset datestyle`);
    }
  });

  it("reads timestamps as ISO strings when asked: exactly what JSON makes of the Date read, keys included", async () => {
    await exec(`create table tsiso (at timestamptz, ts timestamp, n int)`);
    await exec(`insert into tsiso values
      ('2024-06-01 12:00:00+02', '2024-06-01 12:00:00.5', 1), ('2024-06-01 12:00:00.123456+00', '1999-12-31 23:59:59.999999', 2),
      ('2024-06-01 12:00:00.1239+00', 'infinity', 3), ('2030-01-01 00:00:00+00', '0044-03-15 12:00:00 BC', 4),
      ('2031-01-01 00:00:00+00', '0999-01-02 03:04:05', 5), ('2032-01-01 00:00:00+00', null, 6)`);
    const spec = { query: "select * from tsiso", primaryKey: ["at"], columns: ["ts", "n"], commit: false };
    const { tables, rows } = await run(newId(), spec);
    const iso: DiffRow[] = [];
    let after: unknown[] | null = null;
    for (;;) {
      // Two rows a page: the keyset cursor is an ISO string here, and must find its place just the same.
      const page = await s.readDiffPage({
        tables,
        primaryKey: spec.primaryKey,
        columns: spec.columns,
        after,
        limit: 2,
        timestamps: "iso",
      });
      if (page.length === 0) break;
      iso.push(...page);
      after = [page[page.length - 1]?.key.at];
    }
    expect(JSON.parse(JSON.stringify(iso))).toEqual(JSON.parse(JSON.stringify(rows)));
    expect(iso.map((r) => r.row?.ts)).toContain("2024-06-01T12:00:00.500Z");
    // Keys keep every digit (a Date's milliseconds would lose the cursor's place), and read alike in both modes.
    expect(iso.map((r) => r.key.at)).toEqual([
      "2024-06-01T10:00:00.000Z",
      "2024-06-01T12:00:00.123456Z",
      "2024-06-01T12:00:00.1239Z",
      "2030-01-01T00:00:00.000Z",
      "2031-01-01T00:00:00.000Z",
      "2032-01-01T00:00:00.000Z",
    ]);
    await s.cleanup({ tables });
  });

  it("pages exactly through timestamp keys that share a millisecond, and past infinite and BC ones", async () => {
    await exec(`create table tskeys (at timestamptz, id int, v text)`);
    await exec(`insert into tskeys select '2024-06-01 12:00:00.123+00'::timestamptz + g * interval '1 microsecond', g, 'x'
                from generate_series(1, 7) g`);
    await exec(`insert into tskeys values ('-infinity', 0, 'x'), ('infinity', 8, 'x'), ('0044-03-15 12:00:00+00 BC', 9, 'x')`);
    for (const timestamps of ["date", "iso"] as const) {
      const spec = { query: "select * from tskeys", primaryKey: ["at", "id"], columns: ["v"], commit: false };
      const { tables } = await run(newId(), spec);
      const seen: unknown[] = [];
      let after: unknown[] | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const page = await s.readDiffPage({ tables, primaryKey: ["at", "id"], columns: ["v"], after, limit: 1, timestamps });
        if (page.length === 0) break;
        seen.push(page[0]?.key.id);
        // The cursor travels through the run's JSON checkpoint.
        after = JSON.parse(JSON.stringify(["at", "id"].map((c) => page[0]?.key[c])));
      }
      expect(seen).toEqual([0, 9, 1, 2, 3, 4, 5, 6, 7, 8]);
      // Outcomes find their rows by the same keys (not their millisecond neighbours).
      const rows = await readAll(tables, { ...spec, pageSize: 100 });
      const third = rows.find((r) => r.key.id === 3);
      await s.markOutcomes({
        tables,
        primaryKey: ["at", "id"],
        outcomes: [{ key: JSON.parse(JSON.stringify(third?.key)), status: "failed" }],
      });
      const failed = await admin.query(
        `select id from ${pg.escapeIdentifier(SCHEMA)}.${pg.escapeIdentifier(tables.diff)} where "__sluice_status" = 'failed'`,
      );
      expect(failed.rows).toEqual([{ id: 3 }]);
      await s.cleanup({ tables });
    }
  });

  it("works with quotes, capitals and spaces in column names, and NULL vs empty string", async () => {
    await exec(`create table "Odd ""Table""" ("User ID" int, "e""mail" text, "Plan Name" text, "select" text)`);
    await exec(`insert into "Odd ""Table""" values (1, 'a', '', 'x'), (2, 'b', null, 'y')`);
    const spec = {
      query: `select * from "Odd ""Table"""`,
      primaryKey: ["User ID"],
      columns: ['e"mail', "Plan Name", "select"],
      pageSize: 1,
    };
    const sync = newId();
    const first = await run(sync, spec);
    expect(first.rows.map((r) => r.row)).toEqual([
      { "User ID": 1, 'e"mail': "a", "Plan Name": "", select: "x" },
      { "User ID": 2, 'e"mail': "b", "Plan Name": null, select: "y" },
    ]);
    await exec(`update "Odd ""Table""" set "Plan Name" = case when "User ID" = 1 then null else '' end`);
    const second = await run(sync, spec);
    expect(second.ops).toEqual(["changed:1", "changed:2"]); // NULL and '' hash differently
    expect((await run(sync, spec)).ops).toEqual([]);
  });
});

describe("commit", () => {
  it("keeps failed rows at their previous state so the next run reports them again; rejected and unmarked ones are done", async () => {
    await exec(`create table cm (id int, v text)`);
    await exec(`insert into cm select g, 'v' || g from generate_series(1, 6) g`);
    const spec = { query: "select * from cm", primaryKey: ["id"], columns: ["v"] };
    const sync = newId();
    // First run: 1 fails, 2 is rejected, 3 is left unmarked (commit runs only once every row was handled,
    // so an unmarked row counts as delivered), the rest delivered.
    const outcomes: Record<number, OutcomeStatus | "pending"> = { 1: "failed", 2: "rejected", 3: "pending" };
    const byId = (r: DiffRow) => outcomes[r.key.id as number] ?? "delivered";
    const first = await run(sync, { ...spec, outcome: byId });
    expect(first.ops).toEqual(["added:1", "added:2", "added:3", "added:4", "added:5", "added:6"]);
    // The failed added row is added again; the rejected and unmarked ones are not.
    const second = await run(sync, spec);
    expect(second.ops).toEqual(["added:1"]);

    // Changed: 4 fails, 5 is rejected.
    await exec(`update cm set v = v || '!' where id in (4, 5, 6)`);
    const third = await run(sync, {
      ...spec,
      outcome: (r) => (({ 4: "failed", 5: "rejected" }) as Record<number, OutcomeStatus>)[r.key.id as number] ?? "delivered",
    });
    expect(third.ops).toEqual(["changed:4", "changed:5", "changed:6"]);
    const fourth = await run(sync, { ...spec, outcome: () => "delivered" });
    expect(fourth.ops).toEqual(["changed:4"]);
    expect(fourth.rows[0]?.prevHash).toBe(third.rows[0]?.prevHash);
    // A rejected row comes back once it changes again.
    await exec(`update cm set v = 'again' where id = 5`);
    expect((await run(sync, spec)).ops).toEqual(["changed:5"]);

    // Removed: 1 fails, 2 is rejected.
    await exec(`delete from cm where id in (1, 2)`);
    const fifth = await run(sync, { ...spec, outcome: (r) => (r.key.id === 1 ? "failed" : "rejected") });
    expect(fifth.ops).toEqual(["removed:1", "removed:2"]);
    const sixth = await run(sync, spec);
    expect(sixth.ops).toEqual(["removed:1"]);
    expect((await run(sync, spec)).ops).toEqual([]);
  });

  it("a failed row of a full resync is retried even though its hash did not change", async () => {
    await exec(`create table cmf (id int, v text)`);
    await exec(`insert into cmf values (1, 'a'), (2, 'b')`);
    const spec = { query: "select * from cmf", primaryKey: ["id"], columns: ["v"] };
    const sync = newId();
    await run(sync, spec);
    const resync = await run(sync, { ...spec, fullResync: true, outcome: (r) => (r.key.id === 1 ? "failed" : "delivered") });
    expect(resync.ops).toEqual(["changed:1", "changed:2"]);
    expect((await run(sync, spec)).ops).toEqual(["changed:1"]);
    expect((await run(sync, spec)).ops).toEqual([]);
  });

  it("is harmless when repeated, and marking outcomes twice is idempotent", async () => {
    await exec(`create table twice (id int, v text)`);
    await exec(`insert into twice values (1, 'a'), (2, 'b')`);
    const spec = { query: "select * from twice", primaryKey: ["id"], columns: ["v"] };
    const sync = newId();
    const r = await run(sync, { ...spec, outcome: (x) => (x.key.id === 1 ? "failed" : "delivered"), commit: false });
    await s.markOutcomes({ tables: r.tables, primaryKey: ["id"], outcomes: [{ key: { id: 1 }, status: "failed" }] });
    await s.commit({ tables: r.tables, ...spec });
    await s.commit({ tables: r.tables, ...spec });
    expect((await tableNames()).filter((n) => n.includes(sync))).toEqual([r.tables.committed]);
    expect((await run(sync, spec)).ops).toEqual(["added:1"]);
  });

  it("a first run's diff taken again (after a crash) forgets outcomes marked before it", async () => {
    await exec(`create table rediff (id int, v text)`);
    await exec(`insert into rediff values (1, 'a'), (2, 'b')`);
    const spec = { query: "select * from rediff", primaryKey: ["id"], columns: ["v"] };
    const sync = newId();
    const r = await run(sync, { ...spec, outcome: (x) => (x.key.id === 1 ? "failed" : "delivered"), commit: false });
    expect(await s.diff({ tables: r.tables, ...spec, ops: ALL, fullResync: false })).toEqual({
      added: 2,
      changed: 0,
      removed: 0,
    });
    // Nothing is marked any more: committing now treats both rows as delivered.
    await s.commit({ tables: r.tables, ...spec });
    expect((await run(sync, spec)).ops).toEqual([]);
  });

  it("refuses to commit a snapshot without its diff", async () => {
    await exec(`create table nodiff (id int)`);
    const tables = runTables(SCHEMA, newId(), newId());
    await s.snapshot({ tables, query: "select * from nodiff", primaryKey: ["id"], columns: [] });
    await expect(s.commit({ tables, primaryKey: ["id"], columns: [] })).rejects.toThrow(/diff .* does not exist/);
    await s.cleanup({ tables });
  });

  it("cleanup drops the run's tables and leaves the committed snapshot intact", async () => {
    await exec(`create table cl (id int, v text)`);
    await exec(`insert into cl values (1, 'a')`);
    const spec = { query: "select * from cl", primaryKey: ["id"], columns: ["v"] };
    const sync = newId();
    await run(sync, spec);
    await exec(`insert into cl values (2, 'b')`);
    const r = await run(sync, { ...spec, commit: false });
    expect(r.ops).toEqual(["added:2"]);
    await s.cleanup({ tables: r.tables });
    await s.cleanup({ tables: r.tables });
    expect((await tableNames()).filter((n) => n.includes(sync))).toEqual([r.tables.committed]);
    expect((await run(sync, spec)).ops).toEqual(["added:2"]);
  });

  it("is repeatable after the snapshot and diff are taken again (a crashed run resumed from the start)", async () => {
    await exec(`create table again (id int, v text)`);
    await exec(`insert into again values (1, 'a')`);
    const spec = { query: "select * from again", primaryKey: ["id"], columns: ["v"] };
    const tables = runTables(SCHEMA, newId(), newId());
    for (let i = 0; i < 2; i++) {
      await s.snapshot({ tables, ...spec });
      expect(await s.diff({ tables, ...spec, ops: ALL, fullResync: false })).toEqual({ added: 1, changed: 0, removed: 0 });
    }
  });
});

describe("model errors", () => {
  it("names a missing primary key or mapped column and the model's actual columns", async () => {
    await exec(`create table me (id int, email text)`);
    const tables = runTables(SCHEMA, newId(), newId());
    const attempt = (primaryKey: string[], columns: string[]) =>
      s.snapshot({ tables, query: "select id, email from me", primaryKey, columns });
    await expect(attempt(["uid"], ["email"])).rejects.toThrow(
      'primary key column "uid" is not in the model\'s result; its columns are: id, email',
    );
    const error = await attempt(["id"], ["plan"]).catch((e) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.kind).toBe("model-columns");
    expect(error.message).toBe('mapped column "plan" is not in the model\'s result; its columns are: id, email');
  });

  it("reports invalid model SQL with PostgreSQL's message, everywhere it runs", async () => {
    const tables = runTables(SCHEMA, newId(), newId());
    const bad = "select nope from no_such_table";
    for (const attempt of [
      () => s.describeQuery(bad),
      () => s.preview(bad, 10),
      () => s.snapshot({ tables, query: bad, primaryKey: ["id"], columns: [] }),
      () => s.snapshot({ tables, query: "select 1 as id, 1/0 as v", primaryKey: ["id"], columns: ["v"] }),
    ]) {
      const error = await attempt().catch((e) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect(error.kind).toBe("model");
      expect(error.message).toMatch(/^model SQL is invalid: (relation "no_such_table" does not exist|division by zero)$/);
    }
    // The session is still usable afterwards.
    expect(await s.describeQuery("select 1 as one")).toEqual([{ name: "one", type: "integer" }]);
  });

  it("never runs a second statement smuggled into the model", async () => {
    await exec(`create table victim (id int)`);
    const error = await s.preview("select 1 as id) x; drop table victim; select * from (select 1", 5).catch((e) => e);
    expect(error.message).toMatch(/^model SQL is invalid: /);
    expect((await admin.query("select to_regclass('victim') as t")).rows[0].t).toBe("victim");
  });
});

describe("browsing", () => {
  it("lists schemas (without the Sluice schema), tables and views, and columns with types", async () => {
    await exec(`create schema "Analytics"`);
    await exec(`create table "Analytics".orders (id bigint primary key, total numeric(10,2), placed timestamptz, tags text[])`);
    await exec(`create view "Analytics".big_orders as select * from "Analytics".orders where total > 100`);
    const schemas = await s.listSchemas();
    expect(schemas).toEqual(expect.arrayContaining(["Analytics", "public"]));
    expect(schemas).not.toContain(SCHEMA);
    expect(schemas.some((n) => n.startsWith("pg_") || n === "information_schema")).toBe(false);
    expect(await s.listTables("Analytics")).toEqual([
      { name: "big_orders", kind: "view" },
      { name: "orders", kind: "table" },
    ]);
    expect(await s.listColumns("Analytics", "orders")).toEqual([
      { name: "id", type: "bigint" },
      { name: "total", type: "numeric(10,2)" },
      { name: "placed", type: "timestamp with time zone" },
      { name: "tags", type: "text[]" },
    ]);
    expect(await s.listColumns("Analytics", "missing")).toEqual([]);
  });

  it("previews a query with a limit, and describes one without running it", async () => {
    const preview = await s.preview("select g as n, 'x' || g as label, g::bigint * 10 as big from generate_series(1, 50) g;", 3);
    expect(preview.columns).toEqual([
      { name: "n", type: "integer" },
      { name: "label", type: "text" },
      { name: "big", type: "bigint" },
    ]);
    expect(preview.rows).toEqual([
      { n: 1, label: "x1", big: "10" },
      { n: 2, label: "x2", big: "20" },
      { n: 3, label: "x3", big: "30" },
    ]);
    expect(preview.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(await s.describeQuery("select 1::numeric(5,1) as a, now() as b -- trailing comment")).toEqual([
      { name: "a", type: "numeric(5,1)" },
      { name: "b", type: "timestamp with time zone" },
    ]);
    // Preview is read-only, even for a function with side effects.
    await exec(`create table side (id int)`);
    await exec(`create function poke() returns int language sql as 'insert into side values (1) returning id'`);
    const write = await s.preview("select poke()", 1).catch((e) => e);
    expect(write.message).toMatch(/^model SQL is invalid: .*read-only transaction/);
  });

  it("checks a candidate primary key: rows, null keys, duplicated keys with examples", async () => {
    const model = `select * from (values (1, 'a', 'x'), (1, 'a', 'y'), (1, 'a', 'z'), (2, 'b', 'x'), (2, 'b', 'y'),
                     (3, null, 'x'), (4, 'd', 'x')) v(id, region, label)`;
    const composite = await s.checkPrimaryKey(model, ["id", "region"]);
    expect(composite).toMatchObject({ rows: 7, nullKeys: 1, duplicateKeys: 2, duplicateRows: 5 });
    expect(composite.examples).toEqual([
      { id: 1, region: "a" },
      { id: 2, region: "b" },
    ]);
    expect(await s.checkPrimaryKey(model, ["id", "region", "label"])).toMatchObject({
      nullKeys: 1,
      duplicateKeys: 0,
      examples: [],
    });
    const missing = await s.checkPrimaryKey(model, ["nope"]).catch((e) => e);
    expect(missing).toBeInstanceOf(WarehouseError);
    expect(missing.message).toMatch(/no column "nope" \(it has "id", "region", "label"\)/);
    expect((await s.checkPrimaryKey("select 1 as id) x; drop table t; select (1", ["id"]).catch((e) => e)).message).toMatch(
      /^model SQL is invalid/,
    );
  });
});

describe("connecting", () => {
  it("explains an unreachable or refusing warehouse", async () => {
    const closed = await startAuthFailingServer();
    await closed.close();
    const error = await postgresWarehouseAdapter
      .open({ host: "127.0.0.1", port: closed.port, database: "d", user: "u", sslMode: "disable", sluiceSchema: "sluice" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.kind).toBe("connection");
    expect(error.message).toContain(`Nothing accepted a connection at 127.0.0.1:${closed.port}`);

    const fake = await startAuthFailingServer();
    const refused = await postgresWarehouseAdapter
      .open({
        host: "127.0.0.1",
        port: fake.port,
        database: "d",
        user: "sluice",
        password: "pw",
        sslMode: "disable",
        sluiceSchema: "s",
      })
      .catch((e) => e);
    await fake.close();
    expect(refused.kind).toBe("connection");
    expect(refused.message).toMatch(/Password authentication failed for user "sluice"/);
  });

  it("turns a lost connection into a connection error", async () => {
    const sessions = "select pid from pg_stat_activity where application_name = 'sluice' and datname = current_database()";
    const before = (await admin.query(sessions)).rows.map((r) => r.pid);
    const victim = await postgresWarehouseAdapter.open({ connectionString: url, sluiceSchema: SCHEMA });
    const pid = (await admin.query(sessions)).rows.map((r) => r.pid).find((p) => !before.includes(p));
    await admin.query("select pg_terminate_backend($1)", [pid]);
    const error = await victim.listSchemas().catch((e) => e);
    await victim.close();
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.kind).toBe("connection");
  });
});

describe("scale", () => {
  it("snapshots and diffs 200k generated rows inside the warehouse", async () => {
    const n = 200_000;
    await exec(`create table big as select g as id, md5(g::text) as email, g % 7 as plan, now() as noise
                from generate_series(1, ${n}) g`);
    const spec = { query: "select * from big", primaryKey: ["id"], columns: ["email", "plan"] };
    const sync = newId();
    const tables = runTables(SCHEMA, sync, newId());
    let t = performance.now();
    const snap = await s.snapshot({ tables, ...spec });
    const snapshotMs = performance.now() - t;
    t = performance.now();
    const counts = await s.diff({ tables, ...spec, ops: ALL, fullResync: false });
    const diffMs = performance.now() - t;
    expect(snap.rows).toBe(n);
    expect(counts.added).toBe(n);
    // Delivery itself is the engine's: here every row is marked delivered in SQL, then committed.
    await exec(`update ${SCHEMA}.${tables.diff} set __sluice_status = 'delivered'`);
    t = performance.now();
    await s.commit({ tables, ...spec });
    const commitMs = performance.now() - t;

    // A second run after 1% updates: the diff is small and fast.
    await exec(`update big set plan = plan + 100 where id % 100 = 0`);
    const tables2 = runTables(SCHEMA, sync, newId());
    t = performance.now();
    await s.snapshot({ tables: tables2, ...spec });
    const snapshot2Ms = performance.now() - t;
    t = performance.now();
    const counts2 = await s.diff({ tables: tables2, ...spec, ops: ALL, fullResync: false });
    const diff2Ms = performance.now() - t;
    expect(counts2).toEqual({ added: 0, changed: n / 100, removed: 0 });
    await s.cleanup({ tables: tables2 });
    console.log(
      `[warehouse scale] ${n} rows: snapshot ${Math.round(snapshotMs)} ms, diff ${Math.round(diffMs)} ms, ` +
        `commit ${Math.round(commitMs)} ms; second run: snapshot ${Math.round(snapshot2Ms)} ms, diff ${Math.round(diff2Ms)} ms`,
    );
    expect(snapshotMs).toBeLessThan(20_000);
  }, 120_000);
});

// The database-independent parts of the table destinations: records → rows, createTable's type inference,
// and the idle-closing pool cache.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryRecord } from "../delivery";
import { configKey, PoolCache } from "./pool";
import { planRecords } from "./records";
import { inferColumns, type TableInfo } from "./types";

const rec = (op: DeliveryRecord["op"], key: Record<string, unknown>, data?: Record<string, unknown>): DeliveryRecord => ({
  op,
  key,
  ...(data ? { data } : {}),
  idempotencyKey: "k",
});
const info = (...names: string[]): TableInfo => ({
  columns: new Map(
    names.map((name) => [
      name,
      { name, sqlType: "text", fieldType: "string", notNull: false, hasDefault: false, generated: false },
    ]),
  ),
  uniqueKeys: [["id"]],
});

describe("planRecords", () => {
  it("orders columns key first, then by name, and takes a missing key value from record.key", () => {
    const plan = planRecords([rec("insert", { id: 7 }, { plan: "pro", email: "a@x.io" })], ["id"], undefined);
    expect(plan.rows).toEqual([
      expect.objectContaining({
        index: 0,
        kind: "write",
        key: [7],
        columns: ["id", "email", "plan"],
        values: [7, "a@x.io", "pro"],
      }),
    ]);
  });

  it("spreads nested objects over dot-named columns only when the table has them, and lists unknown fields", () => {
    const data = { id: 1, traits: { plan: "pro" }, profile: { city: "Oslo", zip: "0150" }, extra: 1, gone: undefined };
    const plan = planRecords([rec("insert", { id: 1 }, data)], ["id"], info("id", "traits", "profile.city"));
    expect(plan.rows[0]?.columns).toEqual(["id", "profile.city", "traits"]);
    expect(plan.rows[0]?.values).toEqual([1, "Oslo", { plan: "pro" }]);
    expect(plan.unknownColumns).toEqual(["extra", "profile.zip"]);
  });

  it("ignores unknown fields of deletes, which only need the key", () => {
    const plan = planRecords([rec("delete", { id: 3 }, { id: 3, whatever: 1 })], ["id"], info("id"));
    expect(plan.unknownColumns).toEqual([]);
    expect(plan.rows[0]).toMatchObject({ kind: "delete", key: [3], columns: ["id"] });
  });

  it("rejects records whose key is missing or null, by index, with a reason naming the column", () => {
    const plan = planRecords(
      [
        rec("insert", { id: 1 }, { id: 1 }),
        rec("update", {}, { email: "x" }),
        rec("delete", { pk: 1 }),
        rec("insert", { a: 1 }, { a: null, b: 2 }),
      ],
      ["a", "b"],
      undefined,
    );
    expect(plan.rows).toHaveLength(0);
    expect([...plan.rejected]).toEqual([
      [0, expect.stringContaining('no value for key column "a"')],
      [1, expect.stringContaining('no value for key column "a"')],
      [2, expect.stringContaining('cannot delete: the record carries no value for key column "a" (deletes match on a, b;')],
      [3, 'key column "a" is null; every key column needs a value to match a row'],
    ]);
  });
});

describe("inferColumns", () => {
  it("infers each column's kind from every value of the batch, key columns first", () => {
    const rows = [
      {
        columns: ["id", "n", "f", "b", "d", "t", "tz", "j", "s", "none", "mixed"],
        values: [1, 1, 1, true, "2024-01-02", "2024-01-02T03:04:05", "2024-01-02T03:04:05.123Z", { a: 1 }, "x", null, 1],
      },
      { columns: ["id", "n", "f", "mixed", "tz"], values: [2, 2, 1.5, "one", "2024-01-02 03:04+02:00"] },
    ];
    expect(inferColumns(rows, ["id"])).toEqual([
      { name: "id", kind: "integer", key: true },
      { name: "n", kind: "integer", key: false },
      { name: "f", kind: "number", key: false },
      { name: "b", kind: "boolean", key: false },
      { name: "d", kind: "date", key: false },
      { name: "t", kind: "timestamp", key: false },
      { name: "tz", kind: "timestamptz", key: false },
      { name: "j", kind: "json", key: false },
      { name: "s", kind: "text", key: false },
      { name: "none", kind: "text", key: false },
      { name: "mixed", kind: "text", key: false },
    ]);
  });
});

describe("PoolCache", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shares one pool per key and closes it once idle, not while in use", async () => {
    vi.useFakeTimers();
    const closed: string[] = [];
    const cache = new PoolCache<{ id: string }>(async (p) => {
      closed.push(p.id);
    }, 1_000);
    let created = 0;
    const create = () => ({ id: `pool${++created}` });
    await cache.use("a", create, async () => {});
    await cache.use("a", create, async () => {});
    expect(created).toBe(1);
    let release = () => {};
    const busy = cache.use("a", create, () => new Promise<void>((resolve) => (release = resolve)));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(closed).toEqual([]); // in use: the idle clock does not run
    release();
    await busy;
    await vi.advanceTimersByTimeAsync(999);
    expect(closed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toEqual(["pool1"]);
    expect(cache.size).toBe(0);
    await cache.use("a", create, async () => {});
    expect(created).toBe(2);
    await cache.closeAll();
    expect(closed).toEqual(["pool1", "pool2"]);
  });

  it("keys configs by content, whatever the property order, without the secret in clear", () => {
    expect(configKey({ a: 1, b: "pw" }, "x")).toBe(configKey({ b: "pw", a: 1 }, "x"));
    expect(configKey({ a: 1, b: "pw" }, "x")).not.toBe(configKey({ a: 1, b: "pw2" }, "x"));
    expect(configKey({ a: 1, b: "secret" })).not.toContain("secret");
  });
});

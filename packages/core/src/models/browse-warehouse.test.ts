// The table picker against a real warehouse: schemas (Sluice's own hidden), tables and views, columns, clear
// NOT_FOUNDs, and every session closed again — after success and after failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Warehouse } from "../runs/testing/fixtures";
import { createSource } from "../sources/create-source";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { browseWarehouse, warehouseAppError, withSourceWarehouse } from "./browse-warehouse";

const s = testServices();
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.create("browse");
  await warehouse.sql(`
    create schema shop; create schema sluice;
    create table shop.orders (id bigint primary key, total numeric(12,2), placed_at timestamptz, lines jsonb);
    create view shop.big_orders as select * from shop.orders where total > 100;
    create table sluice.snap_x (id int);
  `);
});
afterAll(async () => {
  await warehouse.close();
});

async function setup() {
  const ctx = await workspaceWithRole(s, "admin");
  const source = await createSource(ctx, {
    name: "W",
    type: "postgres",
    config: { connectionString: warehouse.url, sslMode: "disable" },
  });
  return { ctx, sourceId: source.id };
}

/** Connections to the scratch database other than the test's own client, once closing ones have gone. */
async function otherConnections(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await warehouse.sql(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    if (rows[0].n === 0) return 0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return -1;
}

describe("browseWarehouse", () => {
  it("lists schemas, then tables and views, then columns — and closes its session each time", async () => {
    const { ctx, sourceId } = await setup();
    const viewer = await asRole(ctx, "viewer");
    const schemas = await browseWarehouse(viewer, { sourceId });
    expect(schemas).toEqual({ level: "schemas", schemas: ["public", "shop"] });
    expect(await browseWarehouse(viewer, { sourceId, schema: "shop" })).toEqual({
      level: "tables",
      schema: "shop",
      tables: [
        { name: "big_orders", kind: "view" },
        { name: "orders", kind: "table" },
      ],
    });
    expect(await browseWarehouse(viewer, { sourceId, schema: "shop", table: "orders" })).toEqual({
      level: "columns",
      schema: "shop",
      table: "orders",
      columns: [
        { name: "id", type: "bigint" },
        { name: "total", type: "numeric(12,2)" },
        { name: "placed_at", type: "timestamp with time zone" },
        { name: "lines", type: "jsonb" },
      ],
    });
    expect(await otherConnections()).toBe(0);
  });

  it("answers NOT_FOUND for a schema or table that is not there, and BAD_REQUEST for a table without its schema", async () => {
    const { ctx, sourceId } = await setup();
    const noSchema = await browseWarehouse(ctx, { sourceId, schema: "nope" }).catch((e) => e);
    expect(noSchema.code).toBe("NOT_FOUND");
    expect(noSchema.message).toBe('There is no schema "nope" (or this source cannot use it).');
    const noTable = await browseWarehouse(ctx, { sourceId, schema: "shop", table: "nope" }).catch((e) => e);
    expect(noTable.message).toBe('There is no table or view "nope" in schema "shop" (or this source cannot read it).');
    const bad = await browseWarehouse(ctx, { sourceId, table: "orders" }).catch((e) => e);
    expect(bad.fieldErrors).toEqual({ schema: ["name the table's schema"] });
    expect(await otherConnections()).toBe(0);
  });

  it("never opens another workspace's source", async () => {
    const { sourceId } = await setup();
    expect(await errorCode(browseWarehouse(await workspaceWithRole(s, "owner"), { sourceId }))).toBe("NOT_FOUND");
  });
});

describe("withSourceWarehouse", () => {
  it("closes the session when the work throws, and keeps unexpected errors as they are", async () => {
    const { ctx, sourceId } = await setup();
    const bug = new TypeError("a bug");
    const thrown = await withSourceWarehouse(ctx, sourceId, async (session) => {
      await session.listSchemas();
      throw bug;
    }).catch((e) => e);
    expect(thrown).toBe(bug);
    expect(await otherConnections()).toBe(0);
    expect(warehouseAppError(bug, "W")).toBe(bug);
  });
});

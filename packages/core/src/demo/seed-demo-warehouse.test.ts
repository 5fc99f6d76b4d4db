import { createScratchDatabase } from "@sluice/db/testing";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_COMPANY_COUNT, DEMO_CUSTOMER_COUNT } from "./demo-data";
import { DEMO_DATA_VERSION, isDemoWarehouseSeeded, seedDemoWarehouse } from "./seed-demo-warehouse";

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A digest of every demo row, to compare two databases' content exactly. */
const contentDigest = (url: string) =>
  withClient(url, async (c) => {
    const { rows } = await c.query(`select
      (select md5(string_agg(t::text, '|' order by id)) from demo.companies t) as companies,
      (select md5(string_agg(t::text, '|' order by id)) from demo.customers t) as customers`);
    return rows[0];
  });

describe("seedDemoWarehouse", () => {
  let url: string;
  beforeAll(async () => {
    url = await createScratchDatabase("demo_seed");
  });

  it("creates the expected rows with unique emails and intact foreign keys", async () => {
    expect(await isDemoWarehouseSeeded(url)).toBe(false);
    const started = performance.now();
    expect(await seedDemoWarehouse(url)).toEqual({ seeded: true, companies: DEMO_COMPANY_COUNT, customers: DEMO_CUSTOMER_COUNT });
    // Not a benchmark, just a guard against row-by-row inserts creeping back in.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(await isDemoWarehouseSeeded(url)).toBe(true);

    const stats = await withClient(url, async (c) => {
      const { rows } = await c.query(`select
        (select count(*)::int from demo.companies) as companies,
        (select count(*)::int from demo.customers) as customers,
        (select count(distinct email)::int from demo.customers) as emails,
        (select count(distinct domain)::int from demo.companies) as domains,
        (select count(*)::int from demo.customers c left join demo.companies co on co.id = c.company_id where co.id is null) as orphans,
        (select count(distinct company_id)::int from demo.customers) as companies_with_customers,
        (select count(distinct plan)::int from demo.customers) as plans,
        (select min(lead_score)::int from demo.customers) as min_score,
        (select max(lead_score)::int from demo.customers) as max_score,
        (select count(*)::int from demo.customers where last_seen_at < signed_up_at) as seen_before_signup,
        (select count(*)::int from demo.customers where is_active) as active`);
      return rows[0];
    });
    expect(stats).toMatchObject({
      companies: DEMO_COMPANY_COUNT,
      customers: DEMO_CUSTOMER_COUNT,
      emails: DEMO_CUSTOMER_COUNT,
      domains: DEMO_COMPANY_COUNT,
      orphans: 0,
      plans: 4,
      seen_before_signup: 0,
    });
    expect(stats.companies_with_customers).toBeGreaterThan(DEMO_COMPANY_COUNT * 0.8);
    expect(stats.min_score).toBeGreaterThanOrEqual(0);
    expect(stats.max_score).toBeLessThanOrEqual(100);
    expect(stats.active).toBeGreaterThan(DEMO_CUSTOMER_COUNT * 0.3);
    expect(stats.active).toBeLessThan(DEMO_CUSTOMER_COUNT * 0.9);
  });

  it("does nothing the second time, keeping any changes made since", async () => {
    await withClient(url, (c) => c.query("update demo.customers set lead_score = 7 where id = 1"));
    expect((await seedDemoWarehouse(url)).seeded).toBe(false);
    const score = await withClient(url, (c) => c.query("select lead_score from demo.customers where id = 1"));
    expect(score.rows[0].lead_score).toBe(7);
  });

  it("writes the same content in two fresh databases", async () => {
    const other = await createScratchDatabase("demo_seed_b");
    await seedDemoWarehouse(other);
    const fresh = await createScratchDatabase("demo_seed_c");
    await seedDemoWarehouse(fresh);
    expect(await contentDigest(other)).toEqual(await contentDigest(fresh));
  });

  it("survives two concurrent seeds of one warehouse", async () => {
    const shared = await createScratchDatabase("demo_seed_race");
    const results = await Promise.all([seedDemoWarehouse(shared), seedDemoWarehouse(shared)]);
    expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
  });
});

describe("seedDemoWarehouse on a partial or stale demo schema", () => {
  let url: string;
  beforeAll(async () => {
    url = await createScratchDatabase("demo_partial");
  });

  it("rebuilds our tables and leaves the user's other objects in schema demo alone", async () => {
    await withClient(url, async (c) => {
      await c.query("create schema demo");
      await c.query("create table demo.companies (id integer primary key, name text)");
      await c.query("insert into demo.companies values (1, 'half-done')");
      await c.query("create table demo.notes (body text)");
      await c.query("insert into demo.notes values ('mine')");
    });
    expect((await seedDemoWarehouse(url)).seeded).toBe(true);
    const counts = await withClient(url, async (c) => {
      const { rows } = await c.query(`select (select count(*)::int from demo.companies) as companies,
        (select count(*)::int from demo.customers) as customers, (select count(*)::int from demo.notes) as notes`);
      return rows[0];
    });
    expect(counts).toEqual({ companies: DEMO_COMPANY_COUNT, customers: DEMO_CUSTOMER_COUNT, notes: 1 });
  });

  it("rebuilds when the marker names an older data version", async () => {
    await withClient(url, async (c) => {
      await c.query("delete from demo.customers where id > 10");
      await c.query("comment on table demo.customers is 'sluice-demo-v0'");
    });
    expect(DEMO_DATA_VERSION).not.toBe("sluice-demo-v0");
    expect((await seedDemoWarehouse(url)).seeded).toBe(true);
    const { rows } = await withClient(url, (c) => c.query("select count(*)::int as n from demo.customers"));
    expect(rows[0].n).toBe(DEMO_CUSTOMER_COUNT);
  });
});

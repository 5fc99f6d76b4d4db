// Creates the demo warehouse: schema `demo` with `companies` and `customers`, in any Postgres database.
// The whole build is one transaction ending with a marker comment, so the marker's presence means a
// complete, current seed: a second call does nothing, and anything else (an interrupted older build, a
// previous data version, tables a user dropped) is rebuilt from scratch. Only our two tables are
// dropped; anything else a user keeps in schema `demo` is left alone.
import pg from "pg";
import {
  DEMO_COMPANY_COUNT,
  DEMO_CUSTOMER_COUNT,
  type DemoCompany,
  type DemoCustomer,
  generateDemoData,
  PLANS,
} from "./demo-data";

export const DEMO_SCHEMA = "demo";
/** Bump when the generated data or the table shapes change: existing demo warehouses are then rebuilt. */
export const DEMO_DATA_VERSION = "sluice-demo-v1";
// Serialises concurrent seeds of one warehouse (two clicks, or web and CLI at once).
const SEED_LOCK_KEY = "sluice.demo.seed";

const q = (...parts: string[]) => parts.map((p) => pg.escapeIdentifier(p)).join(".");
const COMPANIES = q(DEMO_SCHEMA, "companies");
const CUSTOMERS = q(DEMO_SCHEMA, "customers");
const PLAN_CHECK = `check (plan in (${PLANS.map((p) => pg.escapeLiteral(p)).join(", ")}))`;

export interface SeedResult {
  /** False when the warehouse already held the current demo data and nothing was written. */
  seeded: boolean;
  companies: number;
  customers: number;
}

export async function seedDemoWarehouse(warehouseUrl: string): Promise<SeedResult> {
  const client = new pg.Client({ connectionString: warehouseUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtext($1))", [SEED_LOCK_KEY]);
    if (await isSeeded(client)) {
      await client.query("commit");
      return { seeded: false, companies: DEMO_COMPANY_COUNT, customers: DEMO_CUSTOMER_COUNT };
    }
    const { companies, customers } = generateDemoData();
    await createTables(client);
    await insertCompanies(client, companies);
    await insertCustomers(client, customers);
    await client.query(`comment on table ${CUSTOMERS} is ${pg.escapeLiteral(DEMO_DATA_VERSION)}`);
    await client.query("commit");
    return { seeded: true, companies: companies.length, customers: customers.length };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** True when the warehouse holds the current demo data (both tables, and the marker written last). */
export async function isDemoWarehouseSeeded(warehouseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: warehouseUrl });
  await client.connect();
  try {
    return await isSeeded(client);
  } finally {
    await client.end();
  }
}

async function isSeeded(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ marker: string | null; companies: string | null }>(
    "select obj_description(to_regclass($1), 'pg_class') as marker, to_regclass($2)::text as companies",
    [CUSTOMERS, COMPANIES],
  );
  return rows[0]?.marker === DEMO_DATA_VERSION && rows[0]?.companies !== null;
}

async function createTables(client: pg.Client): Promise<void> {
  await client.query(`create schema if not exists ${q(DEMO_SCHEMA)}`);
  await client.query(`drop table if exists ${CUSTOMERS}, ${COMPANIES} cascade`);
  await client.query(`create table ${COMPANIES} (
    id integer primary key,
    name text not null,
    domain text not null unique,
    industry text not null,
    employee_count integer not null check (employee_count > 0),
    annual_revenue_usd numeric(14, 2) not null,
    country text not null,
    plan text not null ${PLAN_CHECK},
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`);
  await client.query(`create table ${CUSTOMERS} (
    id integer primary key,
    company_id integer not null references ${COMPANIES} (id),
    email text not null unique,
    first_name text not null,
    last_name text not null,
    job_title text not null,
    phone text not null,
    country text not null,
    city text not null,
    plan text not null ${PLAN_CHECK},
    lifetime_value_usd numeric(12, 2) not null,
    signed_up_at timestamptz not null,
    last_seen_at timestamptz not null,
    is_active boolean not null,
    lead_score smallint not null check (lead_score between 0 and 100),
    updated_at timestamptz not null
  )`);
  await client.query(`create index on ${CUSTOMERS} (company_id)`);
}

// One statement per table: each column travels as one array parameter and `unnest` zips them into
// rows, so 3,000 rows cost one round trip and the values are never spliced into SQL text.
async function insertColumns(client: pg.Client, table: string, columns: [name: string, type: string, values: unknown[]][]) {
  const names = columns.map(([name]) => pg.escapeIdentifier(name)).join(", ");
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
  await client.query(
    `insert into ${table} (${names}) select * from unnest(${arrays})`,
    columns.map(([, , values]) => values),
  );
}

function insertCompanies(client: pg.Client, rows: DemoCompany[]) {
  return insertColumns(client, COMPANIES, [
    ["id", "integer", rows.map((r) => r.id)],
    ["name", "text", rows.map((r) => r.name)],
    ["domain", "text", rows.map((r) => r.domain)],
    ["industry", "text", rows.map((r) => r.industry)],
    ["employee_count", "integer", rows.map((r) => r.employeeCount)],
    ["annual_revenue_usd", "numeric", rows.map((r) => r.annualRevenueUsd)],
    ["country", "text", rows.map((r) => r.country)],
    ["plan", "text", rows.map((r) => r.plan)],
    ["created_at", "timestamptz", rows.map((r) => r.createdAt)],
    ["updated_at", "timestamptz", rows.map((r) => r.updatedAt)],
  ]);
}

function insertCustomers(client: pg.Client, rows: DemoCustomer[]) {
  return insertColumns(client, CUSTOMERS, [
    ["id", "integer", rows.map((r) => r.id)],
    ["company_id", "integer", rows.map((r) => r.companyId)],
    ["email", "text", rows.map((r) => r.email)],
    ["first_name", "text", rows.map((r) => r.firstName)],
    ["last_name", "text", rows.map((r) => r.lastName)],
    ["job_title", "text", rows.map((r) => r.jobTitle)],
    ["phone", "text", rows.map((r) => r.phone)],
    ["country", "text", rows.map((r) => r.country)],
    ["city", "text", rows.map((r) => r.city)],
    ["plan", "text", rows.map((r) => r.plan)],
    ["lifetime_value_usd", "numeric", rows.map((r) => r.lifetimeValueUsd)],
    ["signed_up_at", "timestamptz", rows.map((r) => r.signedUpAt)],
    ["last_seen_at", "timestamptz", rows.map((r) => r.lastSeenAt)],
    ["is_active", "boolean", rows.map((r) => r.isActive)],
    ["lead_score", "smallint", rows.map((r) => r.leadScore)],
    ["updated_at", "timestamptz", rows.map((r) => r.updatedAt)],
  ]);
}

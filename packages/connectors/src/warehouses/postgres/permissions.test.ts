// The setup script generator: what it grants and why, identifier quoting, and — against the real server —
// that running the script yields a role that passes every connection check and can do nothing more.
import { randomBytes } from "node:crypto";
import { createScratchDatabase } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresConfigSchema } from "./config";
import {
  PASSWORD_PLACEHOLDER,
  PostgresGrantInput,
  postgresGrantScript,
  postgresGrantStatements,
  quoteIdent,
} from "./permissions";
import { testPostgresConnection } from "./test-connection";

const base = { role: "sluice", database: "analytics", schemas: ["public"], sluiceSchema: "sluice" };

describe("postgres grant script", () => {
  it("grants login, connect, read on each schema (now and later) and ownership of Sluice's schema — each with a reason", () => {
    const statements = postgresGrantStatements({ ...base, schemas: ["public", "marts"] });
    expect(statements.map((s) => s.sql)).toEqual([
      `CREATE ROLE "sluice" WITH LOGIN PASSWORD '${PASSWORD_PLACEHOLDER}';`,
      'GRANT CONNECT ON DATABASE "analytics" TO "sluice";',
      'GRANT USAGE ON SCHEMA "public" TO "sluice";',
      'GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO "sluice";',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA "public" GRANT SELECT ON TABLES TO "sluice";',
      'GRANT USAGE ON SCHEMA "marts" TO "sluice";',
      'GRANT SELECT ON ALL TABLES IN SCHEMA "marts" TO "sluice";',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA "marts" GRANT SELECT ON TABLES TO "sluice";',
      'CREATE SCHEMA "sluice" AUTHORIZATION "sluice";',
    ]);
    for (const s of statements) expect(s.why.length).toBeGreaterThan(20);
    expect(statements[4]?.why).toMatch(/created .* later/);
  });

  it("grants CREATE on the database instead when Sluice is to create its schema itself", () => {
    const sql = postgresGrantStatements({ ...base, sluiceSchemaCreatedBy: "sluice" }).map((s) => s.sql);
    expect(sql.at(-1)).toBe('GRANT CREATE ON DATABASE "analytics" TO "sluice";');
    expect(sql.join("\n")).not.toContain("CREATE SCHEMA");
  });

  it("reads each schema once, and never grants read on Sluice's own schema", () => {
    const sql = postgresGrantStatements({ ...base, schemas: ["public", "public", "sluice"] }).map((s) => s.sql);
    expect(sql.filter((s) => s.startsWith("GRANT USAGE"))).toEqual(['GRANT USAGE ON SCHEMA "public" TO "sluice";']);
  });

  it("quotes every identifier, doubling embedded quotes, so no name can end the statement", () => {
    const sql = postgresGrantStatements({
      role: 'evil"; DROP TABLE users; --',
      database: "Analytics",
      schemas: ["Sales Data"],
      sluiceSchema: "sluice",
    }).map((s) => s.sql);
    expect(sql[0]).toBe(`CREATE ROLE "evil""; DROP TABLE users; --" WITH LOGIN PASSWORD '${PASSWORD_PLACEHOLDER}';`);
    expect(sql[1]).toBe('GRANT CONNECT ON DATABASE "Analytics" TO "evil""; DROP TABLE users; --";');
    expect(sql[2]).toBe('GRANT USAGE ON SCHEMA "Sales Data" TO "evil""; DROP TABLE users; --";');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it("renders a script of comment + statement pairs, and refuses names that could break out of a comment", () => {
    const script = postgresGrantScript(base);
    const lines = script.trim().split("\n");
    expect(lines[0]).toMatch(/^-- .*superuser or the owner of database "analytics"/);
    // Every non-blank line is a comment or a statement ending in a semicolon.
    for (const line of lines.filter(Boolean)) expect(line.startsWith("-- ") || line.endsWith(";")).toBe(true);
    expect(script.match(/;\n/g)).toHaveLength(postgresGrantStatements(base).length);

    const bad = PostgresGrantInput.safeParse({ ...base, schemas: ["public\nDROP TABLE users;"] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("Remove line breaks and control characters");
    expect(() => postgresGrantScript({ ...base, role: "x\r\ny" })).toThrow();
  });

  it("explains what to fill in", () => {
    const result = PostgresGrantInput.safeParse({ role: " ", database: "", schemas: [], sluiceSchema: "x".repeat(64) });
    const messages = Object.fromEntries(result.error?.issues.map((i) => [i.path.join("."), i.message]) ?? []);
    expect(messages).toEqual({
      role: "Enter the role name",
      database: "Enter the database name",
      schemas: "Name at least one schema your models read from",
      sluiceSchema: "Use at most 63 bytes",
    });
  });
});

describe("postgres grant script on the real server", () => {
  const suffix = randomBytes(3).toString("hex");
  // Names that need quoting: mixed case, a space, a quote.
  const role = `Sluice "Reader" ${suffix}`;
  const password = `pw-${randomBytes(6).toString("hex")}`;
  let url: string;
  let admin: pg.Client;

  beforeAll(async () => {
    url = await createScratchDatabase("grants");
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`
      create schema "Sales Data";
      create table "Sales Data".customers (id int primary key, email text);
      insert into "Sales Data".customers values (1, 'a@example.com');
      create schema hr;
      create table hr.payroll (id int primary key, salary int);
    `);
  });
  afterAll(async () => {
    // Roles are cluster-wide: drop everything the role owns or was granted, then the role.
    await admin?.query(`drop owned by ${quoteIdent(role)} cascade`).catch(() => {});
    await admin?.query(`drop role if exists ${quoteIdent(role)}`).catch(() => {});
    await admin?.end();
  });

  it("runs as written, and the role passes every check but can read nothing else and create no schema", async () => {
    const database = new URL(url).pathname.slice(1);
    const script = postgresGrantScript({ role, database, schemas: ["Sales Data"], sluiceSchema: "sluice_own" });
    await admin.query(script.replace(PASSWORD_PLACEHOLDER, password));

    const u = new URL(url);
    const config = postgresConfigSchema.parse({
      host: u.hostname,
      port: Number(u.port || 5432),
      database,
      user: role,
      password,
      sslMode: "disable",
      sluiceSchema: "sluice_own",
    });
    const check = await testPostgresConnection(config, { schemas: ["Sales Data"] });
    expect(check.steps.map((s) => [s.name, s.ok])).toEqual([
      ["Connect", true],
      ['Read 1 schema "Sales Data"', true],
      ['Create and write tables in "sluice_own"', true],
      ["Run a query", true],
    ]);
    expect(check.steps[1]?.message).toBe('"Sales Data": all 1 table readable.');

    // A table created after the script ran is readable too (default privileges).
    await admin.query(`create table "Sales Data".orders (id int primary key)`);
    const as = new pg.Client({ host: u.hostname, port: Number(u.port || 5432), database, user: role, password });
    await as.connect();
    try {
      await expect(as.query(`select count(*) from "Sales Data".orders`)).resolves.toBeDefined();
      await expect(as.query("select * from hr.payroll")).rejects.toMatchObject({ code: "42501" });
      await expect(as.query("create schema sneaky")).rejects.toMatchObject({ code: "42501" });
      await expect(as.query(`create table "Sales Data".sneaky (id int)`)).rejects.toMatchObject({ code: "42501" });
      await expect(as.query("create table sluice_own.mine (id int)")).resolves.toBeDefined();
    } finally {
      await as.end();
    }
  });
});

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "@sluice/db/embedded-postgres";
import { createScratchDatabase } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthFailingServer, startAuthFailingServer } from "./auth-failing-server.test-helper";
import { type PostgresConfig, postgresConfigSchema } from "./config";
import { testPostgresConnection } from "./test-connection";

let url: string;
let hostForm: PostgresConfig;
let fake: AuthFailingServer;

beforeAll(async () => {
  url = await createScratchDatabase("pg_connector");
  const u = new URL(url);
  hostForm = postgresConfigSchema.parse({
    host: u.hostname,
    port: Number(u.port || 5432),
    database: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    sslMode: "disable",
  });
  fake = await startAuthFailingServer();
});
afterAll(() => fake?.close());

describe("postgres testConnection", () => {
  it("passes every step against the test server, and leaves only the Sluice schema behind", async () => {
    const check = await testPostgresConnection(
      postgresConfigSchema.parse({ connectionString: url, sluiceSchema: "sluice_probe" }),
    );
    expect(check.steps.map((s) => s.name)).toEqual([
      "Connect",
      "Read schemas",
      'Create and write tables in "sluice_probe"',
      "Run a query",
    ]);
    expect(check.steps.every((s) => s.ok)).toBe(true);
    expect(check.ok).toBe(true);
    expect(check.steps[3]?.message).toMatch(/^PostgreSQL \d+/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query("select table_name from information_schema.tables where table_schema = 'sluice_probe'");
    await client.end();
    expect(tables.rows).toEqual([]);
  });

  it("passes with the host/port/database/user form too", async () => {
    const check = await testPostgresConnection(hostForm);
    expect(check.ok).toBe(true);
  });

  it("explains a wrong password with the fix, without echoing the password", async () => {
    const secret = "wrong-password-Zq81";
    const check = await testPostgresConnection({
      ...hostForm,
      host: "127.0.0.1",
      port: fake.port,
      user: "sluice",
      password: secret,
    });
    expect(fake.received).toContain(secret);
    expect(check.ok).toBe(false);
    expect(check.steps).toHaveLength(1);
    expect(check.steps[0]?.message).toBe(
      'Password authentication failed for role "sluice". Check the password for role "sluice"; if you just created it, run the script\'s CREATE ROLE step (or reset it: ALTER ROLE "sluice" PASSWORD \'…\';).',
    );
    expect(JSON.stringify(check)).not.toContain(secret);
  });

  it("explains a wrong password from the real server when it checks passwords", async (t) => {
    const wrong = { ...hostForm, password: "definitely-not-the-password" };
    const check = await testPostgresConnection(wrong);
    // The machine's server may trust local connections (pg_hba "trust"); then there is nothing to refuse.
    if (check.ok) t.skip();
    expect(check.steps[0]?.message).toMatch(/Password authentication failed/);
  });

  it("explains an unknown database", async () => {
    const check = await testPostgresConnection({ ...hostForm, database: "no_such_db_xyz" });
    expect(check.ok).toBe(false);
    expect(check.steps[0]?.message).toContain('Database "no_such_db_xyz" does not exist');
  });

  it("explains a refused connection", async () => {
    const closed = await startAuthFailingServer();
    await closed.close();
    const check = await testPostgresConnection({ ...hostForm, host: "127.0.0.1", port: closed.port });
    expect(check.steps[0]?.message).toContain(`Nothing accepted a connection at 127.0.0.1:${closed.port}`);
  });

  it("gives up after the connect timeout when the server never answers", async () => {
    // Accepts TCP and then stays silent: what a half-open firewall or a hung server looks like.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();
    const check = await testPostgresConnection({ ...hostForm, host: "127.0.0.1", port });
    for (const s of sockets) s.destroy();
    silent.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(check.steps[0]?.message).toContain(`No answer from 127.0.0.1:${port} within 5 s`);
  });

  it("explains a port that is not PostgreSQL", async () => {
    const rude = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, "127.0.0.1", resolve));
    const port = (rude.address() as net.AddressInfo).port;
    const check = await testPostgresConnection({ ...hostForm, host: "127.0.0.1", port });
    rude.close();
    expect(check.steps[0]?.message).toContain("closed the connection during start-up");
  });
});

describe("postgres config schema", () => {
  it("requires host, database and user unless a connection string is given", () => {
    const result = postgresConfigSchema.safeParse({ port: 5432 });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["host", "database", "user"]));
    expect(postgresConfigSchema.safeParse({ connectionString: "postgresql://u@h/db" }).success).toBe(true);
  });

  it("fills defaults and refuses a bad schema name or port", () => {
    const parsed = postgresConfigSchema.parse({ host: "h", database: "d", user: "u" });
    expect(parsed).toMatchObject({ port: 5432, sslMode: "require", sluiceSchema: "sluice" });
    expect(postgresConfigSchema.safeParse({ host: "h", database: "d", user: "u", sluiceSchema: 'x"; drop' }).success).toBe(false);
    expect(postgresConfigSchema.safeParse({ host: "h", database: "d", user: "u", port: 70000 }).success).toBe(false);
  });
});

describe("postgres testConnection with a least-privileged role", () => {
  const suffix = randomBytes(3).toString("hex");
  const role = `sluice_lp_${suffix}`;
  let admin: pg.Client;
  let asRole: PostgresConfig;
  const exec = (text: string) => admin.query(text);

  beforeAll(async () => {
    const scratch = await createScratchDatabase("pg_least_priv");
    const u = new URL(scratch);
    admin = new pg.Client({ connectionString: scratch });
    await admin.connect();
    await exec(`
      create role ${role} login password 'pw-${suffix}';
      create schema readable; create table readable.a (id int); create table readable.b (id int);
      grant usage on schema readable to ${role}; grant select on readable.a to ${role};
      create schema unusable; create table unusable.t (id int);
      create schema no_select; create table no_select.t (id int); grant usage on schema no_select to ${role};
      create schema empty_one; grant usage on schema empty_one to ${role};
      create schema sluice_owned authorization ${role};
      create schema sluice_foreign;  grant usage on schema sluice_foreign to ${role};
      revoke create on database ${pg.escapeIdentifier(u.pathname.slice(1))} from public;
    `);
    asRole = postgresConfigSchema.parse({
      host: u.hostname,
      port: Number(u.port || 5432),
      database: u.pathname.slice(1),
      user: role,
      password: `pw-${suffix}`,
      sslMode: "disable",
      sluiceSchema: "sluice_owned",
    });
  });
  afterAll(async () => {
    await exec(`drop owned by ${role} cascade`).catch(() => {});
    await exec(`drop role if exists ${role}`).catch(() => {});
    await admin?.end();
  });

  it("passes on the chosen schemas, noting partly readable and empty ones, and leaves no table behind", async () => {
    const check = await testPostgresConnection(asRole, { schemas: ["readable", "empty_one"] });
    expect(check.ok).toBe(true);
    expect(check.steps[1]).toEqual({
      name: 'Read 2 schemas "readable", "empty_one"',
      ok: true,
      message: expect.stringContaining(
        `"readable": 1 of 2 tables readable; for the rest run GRANT SELECT ON ALL TABLES IN SCHEMA "readable" TO "${role}";`,
      ),
    });
    expect(check.steps[1]?.message).toContain('"empty_one" has no tables yet');
    expect(check.steps[2]?.message).toContain("rolled back: nothing left behind");
    const left = await exec(
      "select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'sluice_owned'",
    );
    expect(left.rows[0].n).toBe(0);
  });

  it("names the GRANT that fixes each unreadable schema, and does not go on to write", async () => {
    const check = await testPostgresConnection(asRole, { schemas: ["unusable", "no_select", "missing_one"] });
    expect(check.ok).toBe(false);
    expect(check.steps).toHaveLength(2);
    const message = check.steps[1]?.message ?? "";
    expect(message).toContain(`Run: GRANT USAGE ON SCHEMA "unusable" TO "${role}";`);
    expect(message).toContain(
      `cannot read any of the 1 table in "no_select". Run: GRANT SELECT ON ALL TABLES IN SCHEMA "no_select" TO "${role}";`,
    );
    expect(message).toContain('Schema "missing_one" does not exist');
  });

  it("without chosen schemas, reports what the role can see", async () => {
    const check = await testPostgresConnection(asRole);
    expect(check.ok).toBe(true);
    // public is usable by everyone; sluice_owned is Sluice's own and not counted.
    expect(check.steps[1]?.message).toMatch(
      /^5 schemas visible \("empty_one", "no_select", "public", "readable", "sluice_foreign"\), 1 table readable\.$/,
    );
  });

  it("asks for CREATE SCHEMA … AUTHORIZATION when Sluice's schema is missing and cannot be created", async () => {
    const check = await testPostgresConnection({ ...asRole, sluiceSchema: "sluice_absent" }, { schemas: ["readable"] });
    expect(check.ok).toBe(false);
    expect(check.steps[2]).toMatchObject({ name: 'Create and write tables in "sluice_absent"', ok: false });
    expect(check.steps[2]?.message).toContain(`CREATE SCHEMA "sluice_absent" AUTHORIZATION "${role}";`);
    expect(check.steps[2]?.message).toContain(`GRANT CREATE ON DATABASE "${asRole.database}" TO "${role}";`);
  });

  it("asks for USAGE, CREATE on a Sluice schema someone else owns", async () => {
    const check = await testPostgresConnection({ ...asRole, sluiceSchema: "sluice_foreign" }, { schemas: ["readable"] });
    expect(check.steps[2]?.ok).toBe(false);
    expect(check.steps[2]?.message).toBe(
      `Role "${role}" cannot create tables in schema "sluice_foreign" (owned by "${decodeURIComponent(new URL(url).username)}"). Run: GRANT USAGE, CREATE ON SCHEMA "sluice_foreign" TO "${role}";`,
    );
    await exec(`grant create on schema sluice_foreign to ${role}`);
    const fixed = await testPostgresConnection({ ...asRole, sluiceSchema: "sluice_foreign" }, { schemas: ["readable"] });
    expect(fixed.ok).toBe(true);
  });

  it("creates Sluice's schema itself when the role may create schemas", async () => {
    await exec(`grant create on database ${pg.escapeIdentifier(asRole.database ?? "")} to ${role}`);
    try {
      const check = await testPostgresConnection({ ...asRole, sluiceSchema: "sluice_made" }, { schemas: ["readable"] });
      expect(check.ok).toBe(true);
      expect(check.steps[2]?.message).toMatch(/^Created schema "sluice_made", then created a scratch table/);
    } finally {
      await exec(`revoke create on database ${pg.escapeIdentifier(asRole.database ?? "")} from ${role}`);
    }
  });

  it("tells a user whose role does not exist to run the CREATE ROLE step", async () => {
    const check = await testPostgresConnection({ ...asRole, user: `nobody_${suffix}` });
    expect(check.steps[0]?.ok).toBe(false);
    // A server checking passwords answers "password authentication failed" for unknown roles too.
    expect(check.steps[0]?.message).toMatch(/run the script's CREATE ROLE step/);
  });
});

describe("postgres testConnection against a server that checks passwords (scram-sha-256)", () => {
  // The machine's server trusts local connections, so a real password check needs a server of our own:
  // the embedded PostgreSQL `npm start` uses, in a throwaway home.
  let home: string;
  let server: EmbeddedDatabase | undefined;
  let config: PostgresConfig;
  const role = "sluice_pw";
  const password = `right-${randomBytes(6).toString("hex")}`;

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), "sluice-pw-"));
    server = await startEmbeddedPostgres(home);
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`create role ${role} login password '${password}'; create schema sluice authorization ${role}`);
    await admin.end();
    config = postgresConfigSchema.parse({
      host: "127.0.0.1",
      port: server.port,
      database: "postgres",
      user: role,
      password,
      sslMode: "disable",
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("passes with the right password and fails on a wrong one, naming the fix", async () => {
    expect((await testPostgresConnection(config, { schemas: ["public"] })).ok).toBe(true);
    const wrong = await testPostgresConnection({ ...config, password: "not-the-password" });
    expect(wrong.ok).toBe(false);
    expect(wrong.steps).toHaveLength(1);
    expect(wrong.steps[0]?.message).toBe(
      `Password authentication failed for role "${role}". Check the password for role "${role}"; if you just created it, run the script's CREATE ROLE step (or reset it: ALTER ROLE "${role}" PASSWORD '…';).`,
    );
    expect(JSON.stringify(wrong)).not.toContain(password);
  });
});

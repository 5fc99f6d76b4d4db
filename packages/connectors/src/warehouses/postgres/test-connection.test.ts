import net from "node:net";
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
    expect(check.steps.map((s) => s.name)).toEqual(["Connect", "Read schemas", 'Write to schema "sluice_probe"', "Run a query"]);
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
    expect(check.steps[0]?.message).toMatch(
      /Password authentication failed for user "sluice"\. Check the user name and password/,
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

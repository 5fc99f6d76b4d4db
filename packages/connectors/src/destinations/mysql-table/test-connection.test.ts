// "Test connection" and "list fields" of the MySQL / MariaDB table destination against the machine's MariaDB,
// with real users for the login and privilege checks.
import { randomBytes } from "node:crypto";
import type mysql from "mysql2/promise";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MysqlTableConfig, mysqlTableConfigSchema } from "./config";
import { listMysqlTableFields } from "./list-fields";
import { testMysqlTableConnection } from "./test-connection";
import { createMysqlScratchDatabase, createMysqlUser, dropMysqlScratchDatabase } from "./testing";

const database = `sluice_check_${randomBytes(4).toString("hex")}`;
const users: string[] = [];
let admin: mysql.Connection;
let table: string;

beforeAll(async () => {
  admin = await createMysqlScratchDatabase(database);
});
afterAll(async () => {
  await dropMysqlScratchDatabase(admin, database, users);
});
beforeEach(() => {
  table = `t_${randomBytes(3).toString("hex")}`;
});

const allowed = { allowPrivate: true };
const config = (extra: Record<string, unknown> = {}): MysqlTableConfig =>
  mysqlTableConfigSchema.parse({ host: "127.0.0.1", database, user: "root", ssl: "disable", table, keyColumns: "id", ...extra });
async function userWith(grants: string, password = "pw"): Promise<MysqlTableConfig> {
  return config({ user: await createMysqlUser(admin, { database, table, grants, password }, users), password });
}

describe("mysql-table testConnection", () => {
  it("passes every step for a table with a primary key on the key columns", async () => {
    await admin.query(`CREATE TABLE \`${table}\` (id INT PRIMARY KEY, email TEXT) ENGINE=InnoDB`);
    const check = await testMysqlTableConnection(config(), allowed);
    expect(check.steps.map((s) => [s.name, s.ok])).toEqual([
      ["Check the host", true],
      ["Connect", true],
      ["Find the table", true],
      ["Check privileges", true],
      ["Check the key columns", true],
    ]);
    expect(check.steps[1]?.message).toMatch(/^Connected to .*MariaDB.* at 127\.0\.0\.1:3306 as root@/);
    expect(check.steps[3]?.message).toBe("SELECT, INSERT, UPDATE and DELETE granted.");
    expect(check.steps[4]?.message).toBe("(id) has a unique key: upserts and deletes can match on it.");
  });

  it("fails on a missing table unless createTable is on", async () => {
    const missing = await testMysqlTableConnection(config(), allowed);
    expect(missing.steps.at(-1)).toMatchObject({
      name: "Find the table",
      ok: false,
      message: `Table ${database}.${table} does not exist. Create it (with a primary key on id), or turn on "createTable".`,
    });
    const creatable = await testMysqlTableConnection(config({ createTable: true }), allowed);
    expect(creatable.ok).toBe(true);
    expect(creatable.steps[2]?.message).toContain(`GRANT CREATE ON \`${database}\`.* TO 'root'@'%'`);
  });

  it("finds missing privileges by writes that touch no row, and names the GRANT", async () => {
    await admin.query(`CREATE TABLE \`${table}\` (id INT PRIMARY KEY, email TEXT) ENGINE=InnoDB`);
    await admin.query(`INSERT INTO \`${table}\` VALUES (1, 'a@x.io')`);
    const readOnly = await userWith("SELECT");
    const check = await testMysqlTableConnection(readOnly, allowed);
    expect(check.ok).toBe(false);
    expect(check.steps.at(-1)).toMatchObject({
      name: "Check privileges",
      message: `"${readOnly.user}" lacks INSERT, UPDATE, DELETE on ${database}.${table}. Run: GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.\`${table}\` TO '${readOnly.user}'@'%'`,
    });
    const noDelete = await userWith("SELECT, INSERT, UPDATE");
    const partial = await testMysqlTableConnection(noDelete, allowed);
    expect(partial.ok).toBe(true);
    expect(partial.steps[3]?.message).toContain("DELETE is not, so mirror mode cannot remove rows");
    const [left] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
    expect(left[0]?.n).toBe(1); // the probes wrote and deleted nothing
  });

  it("fails when the key columns have no unique key, and warns about other unique keys", async () => {
    await admin.query(`CREATE TABLE \`${table}\` (id INT, email VARCHAR(50), UNIQUE KEY (email)) ENGINE=InnoDB`);
    const check = await testMysqlTableConnection(config(), allowed);
    expect(check.steps.at(-1)).toMatchObject({
      name: "Check the key columns",
      ok: false,
      message: expect.stringContaining(`ALTER TABLE \`${database}\`.\`${table}\` ADD UNIQUE KEY (\`id\`)`),
    });
    await admin.query(`ALTER TABLE \`${table}\` ADD PRIMARY KEY (id)`);
    const ok = await testMysqlTableConnection(config(), allowed);
    expect(ok.ok).toBe(true);
    expect(ok.steps.at(-1)?.message).toContain("The table has 1 other unique key");
  });

  it("explains a wrong password at the Connect step", async () => {
    const user = await userWith("", "the-right-one");
    const check = await testMysqlTableConnection({ ...user, password: "not-the-right-one" }, allowed);
    expect(check.ok).toBe(false);
    expect(check.steps.at(-1)?.name).toBe("Connect");
    expect(check.steps.at(-1)?.message).toContain(`The server refused the login of user "${user.user}"`);
    expect(JSON.stringify(check)).not.toContain("not-the-right-one");
  });

  it.each(["127.0.0.1", "localhost", "192.168.1.20"])("refuses %s unless private addresses are allowed", async (host) => {
    const check = await testMysqlTableConnection(config({ host }), { allowPrivate: false });
    expect(check.steps).toHaveLength(1);
    expect(check.steps[0]?.message).toContain("private or loopback address");
  });
});

describe("mysql-table listFields", () => {
  it("lists writable columns with our types, NOT NULL without default as required, the key as identifier", async () => {
    await admin.query(`CREATE TABLE \`${table}\` (
      id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(50) NOT NULL, plan VARCHAR(10) NOT NULL DEFAULT 'free',
      score DECIMAL(5,2), active TINYINT(1), born DATE, seen DATETIME, total INT AS (id * 2) VIRTUAL) ENGINE=InnoDB`);
    expect(await listMysqlTableFields(config(), "rows", allowed)).toEqual([
      { name: "id", type: "integer", required: false, identifier: true, description: "bigint(20)" },
      { name: "email", type: "string", required: true, identifier: false, description: "varchar(50)" },
      { name: "plan", type: "string", required: false, identifier: false, description: "varchar(10)" },
      { name: "score", type: "number", required: false, identifier: false, description: "decimal(5,2)" },
      { name: "active", type: "boolean", required: false, identifier: false, description: "tinyint(1)" },
      { name: "born", type: "date", required: false, identifier: false, description: "date" },
      { name: "seen", type: "datetime", required: false, identifier: false, description: "datetime" },
    ]);
  });

  it("lists only the key columns of a table that does not exist yet", async () => {
    expect(await listMysqlTableFields(config({ keyColumns: "a" }), "rows", allowed)).toEqual([
      expect.objectContaining({ name: "a", identifier: true }),
    ]);
  });
});

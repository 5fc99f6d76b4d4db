// The MySQL / MariaDB table destination against the machine's real MariaDB: every mode's SQL semantics,
// composite keys, createTable, bad rows isolated among good ones, statements sized under max_allowed_packet,
// fatal configuration errors, transient failures retried, connection reuse, and what is recorded.
import { randomBytes } from "node:crypto";
import type mysql from "mysql2/promise";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryBatch, DeliveryRecord } from "../../kit/delivery";
import { FatalDestinationError } from "../../kit/delivery";
import { batch, FAST_DELIVERY as fast, rec } from "../../kit/table/testing";
import { getDestination } from "../../registry";
import { type MysqlTableConfig, mysqlTableConfigSchema } from "./config";
import { closeMysqlTablePools, openMysqlTablePools } from "./connect";
import { deliverMysqlTableBatch } from "./deliver";
import { createMysqlScratchDatabase, createMysqlUser, dropMysqlScratchDatabase } from "./testing";

const database = `sluice_dest_${randomBytes(4).toString("hex")}`;
const users: string[] = [];
let admin: mysql.Connection;
let table: string;

beforeAll(async () => {
  admin = await createMysqlScratchDatabase(database);
});
afterAll(async () => {
  await closeMysqlTablePools();
  await dropMysqlScratchDatabase(admin, database, users);
});
beforeEach(() => {
  table = `t_${randomBytes(3).toString("hex")}`;
});

const config = (extra: Partial<Record<keyof MysqlTableConfig, unknown>> = {}): MysqlTableConfig =>
  mysqlTableConfigSchema.parse({
    host: "127.0.0.1",
    database,
    user: "root",
    password: "",
    ssl: "disable",
    table,
    keyColumns: "id",
    ...extra,
  });
const deliver = (records: DeliveryRecord[], mode: DeliveryBatch["mode"] = "upsert", extra = {}, options = fast) =>
  deliverMysqlTableBatch(config(extra), batch(records, mode), options);
async function rows(order = "id"): Promise<Record<string, unknown>[]> {
  const [result] = await admin.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` ORDER BY ${order}`);
  return result.map((r) => ({ ...r }));
}
async function contacts(): Promise<void> {
  await admin.query(
    `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, email VARCHAR(20) NOT NULL, plan TEXT, score DECIMAL(6,2), note TEXT) ENGINE=InnoDB`,
  );
  await admin.query(
    `INSERT INTO \`${table}\` (id, email, plan, note) VALUES (1, 'a@x.io', 'free', 'n1'), (2, 'b@x.io', 'free', 'n2')`,
  );
}
async function userWith(grants: string, password = ""): Promise<MysqlTableConfig> {
  return config({ user: await createMysqlUser(admin, { database, table, grants, password }, users), password });
}

describe("mysql-table: modes", () => {
  it("upsert inserts new rows and updates existing ones (ON DUPLICATE KEY UPDATE), leaving unmapped columns alone", async () => {
    await contacts();
    const outcome = await deliver([
      rec("update", { id: 1 }, { id: 1, email: "a@x.io", plan: "pro", score: 1.5 }),
      rec("insert", { id: 3 }, { id: 3, email: "c@x.io", plan: "free", score: 3 }),
    ]);
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(await rows()).toEqual([
      { id: 1, email: "a@x.io", plan: "pro", score: "1.50", note: "n1" },
      { id: 2, email: "b@x.io", plan: "free", score: null, note: "n2" },
      { id: 3, email: "c@x.io", plan: "free", score: "3.00", note: null },
    ]);
    expect(outcome.request).toMatchObject({ method: "SQL", url: `mysql://root@127.0.0.1:3306/${database}` });
    expect(outcome.request.body).toContain(
      `INSERT INTO \`${database}\`.\`${table}\` (\`id\`, \`email\`, \`plan\`, \`score\`) VALUES (?, ?, ?, ?), (?, ?, ?, ?) ON DUPLICATE KEY UPDATE \`email\` = VALUES(\`email\`)`,
    );
    expect(outcome.request.body).toContain('-- values: [[1,"a@x.io","pro",1.5],[3,"c@x.io","free",3]]');
  });

  it("records no password", async () => {
    await contacts();
    const user = await userWith("SELECT, INSERT, UPDATE, DELETE", "s3cret-pass-word");
    const outcome = await deliverMysqlTableBatch(user, batch([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]), fast);
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(JSON.stringify(outcome)).not.toContain("s3cret-pass-word");
  });

  it("insert leaves existing rows as they are, and still rejects bad values (not INSERT IGNORE)", async () => {
    await contacts();
    const outcome = await deliver(
      [
        rec("insert", { id: 1 }, { id: 1, email: "changed@x.io" }),
        rec("insert", { id: 4 }, { id: 4, email: "d@x.io" }),
        rec("insert", { id: 5 }, { id: 5, email: null }),
      ],
      "insert",
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "ok" },
      { status: "rejected", reason: "Column 'email' cannot be null" },
    ]);
    expect((await rows()).map((r) => [r.id, r.email])).toEqual([
      [1, "a@x.io"],
      [2, "b@x.io"],
      [4, "d@x.io"],
    ]);
  });

  it("update changes existing rows only and rejects records whose row does not exist", async () => {
    await contacts();
    const outcome = await deliver(
      [
        rec("update", { id: 2 }, { id: 2, plan: "enterprise" }),
        rec("update", { id: 9 }, { id: 9, plan: "pro" }),
        rec("update", { id: 1 }, { id: 1, plan: "free" }), // matched, though nothing changes
      ],
      "update",
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "no row with this key in the table; update mode changes existing rows only" },
      { status: "ok" },
    ]);
    expect(outcome.request.body).toContain(`UPDATE \`${database}\`.\`${table}\` SET \`plan\` = ? WHERE \`id\` = ?`);
    expect((await rows()).map((r) => [r.id, r.plan])).toEqual([
      [1, "free"],
      [2, "enterprise"],
    ]);
  });

  it("mirror upserts and deletes by the key, from the data or from the record's key; a delete without key is rejected", async () => {
    await contacts();
    await admin.query(`INSERT INTO \`${table}\` (id, email) VALUES (5, 'e@x.io')`);
    const outcome = await deliver(
      [
        rec("delete", { id: 1 }),
        rec("delete", { model_pk: 77 }, { id: 2, email: "b@x.io" }),
        rec("delete", { model_pk: 5 }),
        rec("insert", { id: 6 }, { id: 6, email: "f@x.io" }),
        rec("delete", { id: 404 }),
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
  });

  it("upserts and deletes on a composite key, and applies two records for one key in order", async () => {
    await admin.query(
      `CREATE TABLE \`${table}\` (account_id INT, email VARCHAR(64), plan TEXT, PRIMARY KEY (account_id, email)) ENGINE=InnoDB`,
    );
    const keys = { keyColumns: "account_id,email" };
    await deliver(
      [
        rec("insert", { a: 1 }, { account_id: 1, email: "a@x.io", plan: "free" }),
        rec("insert", { a: 2 }, { account_id: 2, email: "a@x.io", plan: "free" }),
      ],
      "mirror",
      keys,
    );
    const second = await deliver(
      [
        rec("update", { a: 1 }, { account_id: 1, email: "a@x.io", plan: "pro" }),
        rec("update", { a: 1 }, { account_id: 1, email: "a@x.io", plan: "team" }),
        rec("delete", { account_id: 2, email: "a@x.io" }),
      ],
      "mirror",
      keys,
    );
    expect(second.results).toEqual([{ status: "ok" }, { status: "ok" }, { status: "ok" }]);
    expect(second.exchanges?.some((e) => e.request.body.includes("WHERE (`account_id`, `email`) IN ((?, ?))"))).toBe(true);
    expect(await rows("account_id")).toEqual([{ account_id: 1, email: "a@x.io", plan: "team" }]);
  });

  it("writes objects as JSON, booleans as 1/0 and ISO date-times as UTC", async () => {
    await admin.query(
      `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, traits JSON, active BOOLEAN, seen DATETIME(3), \`profile.city\` TEXT) ENGINE=InnoDB`,
    );
    const outcome = await deliver([
      rec(
        "insert",
        { id: 1 },
        { id: 1, traits: { plan: "pro" }, active: true, seen: "2024-05-01T12:00:00.250+02:00", profile: { city: "Oslo" } },
      ),
    ]);
    expect(outcome.results).toEqual([{ status: "ok" }]);
    const [row] = await rows();
    expect(row).toMatchObject({ id: 1, active: 1, "profile.city": "Oslo" });
    // MariaDB announces JSON columns to clients, which then parse them; MySQL's JSON type is parsed too.
    expect(typeof row?.traits === "string" ? JSON.parse(row.traits) : row?.traits).toEqual({ plan: "pro" });
    const [seen] = await admin.query<mysql.RowDataPacket[]>(
      `SELECT DATE_FORMAT(seen, '%Y-%m-%d %H:%i:%s.%f') AS s FROM \`${table}\``,
    );
    expect(seen[0]?.s).toBe("2024-05-01 10:00:00.250000");
  });

  it("createTable makes the table from the first batch's values, with the key as primary key", async () => {
    const outcome = await deliver(
      [
        rec("insert", { email: "a@x.io" }, { email: "a@x.io", score: 1, ratio: 0.5, active: true, born: "1990-01-02" }),
        rec("insert", { email: "b@x.io" }, { email: "b@x.io", seen: "2024-05-01T10:00:00Z", meta: { a: 1 }, note: null }),
      ],
      "upsert",
      { createTable: true, keyColumns: "email" },
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    const [columns] = await admin.query<mysql.RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_KEY AS k FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY COLUMN_NAME`,
      [database, table],
    );
    expect(columns.map((c) => [c.name, c.type, c.nullable, c.k])).toEqual([
      ["active", "tinyint(1)", "YES", ""],
      ["born", "date", "YES", ""],
      ["email", "varchar(255)", "NO", "PRI"],
      ["meta", "longtext", "YES", ""], // MariaDB's JSON is LONGTEXT with a json_valid check
      ["note", "text", "YES", ""],
      ["ratio", "double", "YES", ""],
      ["score", "bigint(20)", "YES", ""],
      ["seen", "datetime(6)", "YES", ""],
    ]);
    expect((await rows("email")).map((r) => [r.email, r.score])).toEqual([
      ["a@x.io", 1],
      ["b@x.io", null],
    ]);
  });
});

describe("mysql-table: bad rows are isolated", () => {
  it("one NOT NULL violation among 500: 499 written, 1 rejected with the server's message", async () => {
    await contacts();
    const records = Array.from({ length: 500 }, (_, i) =>
      rec("insert", { id: 100 + i }, { id: 100 + i, email: i === 321 ? null : `u${i}@x.io`, plan: "free" }),
    );
    const outcome = await deliver(records);
    const rejected = outcome.results.flatMap((r, i) => (r.status === "ok" ? [] : [[i, r]]));
    expect(rejected).toEqual([[321, { status: "rejected", reason: "Column 'email' cannot be null" }]]);
    const [count] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE id >= 100`);
    expect(count[0]?.n).toBe(499);
  });

  it("rejects each bad row with its own reason: too long, invalid value, check constraint, trigger SIGNAL", async () => {
    await admin.query(
      `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, email VARCHAR(10), age INT CHECK (age >= 0), note TEXT) ENGINE=InnoDB`,
    );
    await admin.query(`CREATE TRIGGER \`${table}_guard\` BEFORE INSERT ON \`${table}\` FOR EACH ROW
      BEGIN IF NEW.note = 'forbidden' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'note is not allowed'; END IF; END`);
    const outcome = await deliver([
      rec("insert", { id: 2 }, { id: 2, email: "ok@x", age: 3 }),
      rec("insert", { id: 3 }, { id: 3, email: "much-too-long@x.io" }),
      rec("insert", { id: 4 }, { id: 4, age: "four" }),
      rec("insert", { id: 5 }, { id: 5, age: -1 }),
      rec("insert", { id: 6 }, { id: 6, note: "forbidden" }),
      rec("insert", { id: 8 }, { id: 8, age: 8 }),
    ]);
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "Data too long for column 'email' at row 1" },
      { status: "rejected", reason: expect.stringMatching(/^Incorrect integer value: 'four' for column .*age/) },
      { status: "rejected", reason: expect.stringMatching(/^CONSTRAINT .* failed for/) },
      { status: "rejected", reason: "note is not allowed" },
      { status: "ok" },
    ]);
    expect((await rows()).map((r) => r.id)).toEqual([2, 8]);
  });

  it("keeps statements under half of max_allowed_packet, and rejects a row too big for one", async () => {
    await admin.query(`CREATE TABLE \`${table}\` (id INT PRIMARY KEY, body LONGTEXT) ENGINE=InnoDB`);
    const [packet] = await admin.query<mysql.RowDataPacket[]>("SELECT @@max_allowed_packet AS p");
    const budget = Math.min(16 * 1024 * 1024, Math.floor(Number(packet[0]?.p) / 2));
    const big = "x".repeat(300_000);
    const records = Array.from({ length: 60 }, (_, i) => rec("insert", { id: i }, { id: i, body: big }));
    records.push(rec("insert", { id: 999 }, { id: 999, body: "y".repeat(budget + 1) }));
    const outcome = await deliver(records);
    expect(outcome.results.slice(0, 60).every((r) => r.status === "ok")).toBe(true);
    expect(outcome.results[60]).toEqual({
      status: "rejected",
      reason: expect.stringMatching(/^the row is about \d+ bytes, more than one statement may carry here \(\d+ bytes\)$/),
    });
    const statements = outcome.exchanges?.filter((e) => e.request.body.startsWith("INSERT")) ?? [];
    expect(statements.length).toBe(Math.ceil((60 * 300_000) / budget));
    const [count] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n, SUM(LENGTH(body)) AS b FROM \`${table}\``);
    expect(count[0]).toEqual({ n: 60, b: String(60 * 300_000) });
  });
});

describe("mysql-table: failures", () => {
  const fatal = async (p: Promise<unknown>) => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FatalDestinationError);
    return (error as Error).message;
  };

  it("fails the run when the table is missing and createTable is off", async () => {
    expect(await fatal(deliver([rec("insert", { id: 1 }, { id: 1 })]))).toBe(
      `table ${database}.${table} does not exist — create it (with a primary key or unique index on id), or turn on "createTable"`,
    );
  });

  it("fails the run when the key has no unique key: ON DUPLICATE KEY UPDATE would only ever insert", async () => {
    await admin.query(`CREATE TABLE \`${table}\` (id INT, email TEXT) ENGINE=InnoDB`);
    const message = await fatal(deliver([rec("insert", { id: 1 }, { id: 1 })]));
    expect(message).toContain("has no primary key or unique index on exactly (id)");
    expect(message).toContain(`ALTER TABLE \`${database}\`.\`${table}\` ADD UNIQUE KEY (\`id\`)`);
  });

  it("fails the run on a column the table lacks", async () => {
    await contacts();
    expect(await fatal(deliver([rec("insert", { id: 1 }, { id: 1, email: "a@x.io", nope: 1 })]))).toContain(
      `table ${database}.${table} has no column "nope"`,
    );
  });

  it("fails the run when the user lacks a privilege, with the GRANT to run", async () => {
    await contacts();
    const readOnly = await userWith("SELECT");
    const message = await fatal(
      deliverMysqlTableBatch(readOnly, batch([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]), fast),
    );
    expect(message).toContain(`user "${readOnly.user}" lacks a privilege on ${database}.${table}`);
    expect(message).toContain(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.\`${table}\` TO '${readOnly.user}'@'%'`);
  });

  it("fails the run when createTable may not create the table, with the GRANT to run", async () => {
    const user = await userWith("");
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.* TO '${user.user}'@'%'`);
    const message = await fatal(
      deliverMysqlTableBatch({ ...user, createTable: true }, batch([rec("insert", { id: 1 }, { id: 1 })]), fast),
    );
    expect(message).toContain(`user "${user.user}" may not create table ${database}.${table}`);
    expect(message).toContain(`GRANT CREATE ON \`${database}\`.* TO '${user.user}'@'%'`);
  });

  it("fails the run on a wrong password, naming the user, never the password", async () => {
    await contacts();
    const user = await userWith("SELECT, INSERT, UPDATE", "right-password");
    const message = await fatal(
      deliverMysqlTableBatch({ ...user, password: "wrong-password" }, batch([rec("insert", { id: 3 }, { id: 3 })]), fast),
    );
    expect(message).toMatch(new RegExp(`^the server refused the login of user "${user.user}" \\(Access denied for user`));
    expect(message).toContain("check the user name and password");
    expect(message).not.toContain("wrong-password");
  });

  it("refuses a private or loopback host unless allowed", async () => {
    for (const host of ["127.0.0.1", "localhost"]) {
      const message = await fatal(
        deliver([rec("insert", { id: 1 }, { id: 1 })], "upsert", { host }, { ...fast, allowPrivate: false }),
      );
      expect(message).toContain(`the database host is not allowed: ${host} is a private or loopback address`);
    }
  });

  it("retries a connection killed mid-statement within the call, then succeeds", async () => {
    await contacts();
    // A counter in a non-transactional table survives the rollback: only the first attempt sleeps (and is killed).
    await admin.query(`CREATE TABLE \`${table}_n\` (n INT) ENGINE=MyISAM`);
    await admin.query(`INSERT INTO \`${table}_n\` VALUES (0)`);
    await admin.query(`CREATE TRIGGER \`${table}_slow\` BEFORE INSERT ON \`${table}\` FOR EACH ROW
      BEGIN UPDATE \`${table}_n\` SET n = n + 1; IF (SELECT n FROM \`${table}_n\`) = 1 THEN SET @slept = SLEEP(5); END IF; END`);
    const pending = deliver([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]);
    let id: number | undefined;
    for (let i = 0; i < 100 && id === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [list] = await admin.query<mysql.RowDataPacket[]>(
        "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND STATE = 'User sleep' AND ID <> CONNECTION_ID()",
        [database],
      );
      id = list[0]?.id;
    }
    expect(id).toBeDefined();
    await admin.query(`KILL CONNECTION ${Number(id)}`);
    const outcome = await pending;
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(outcome.attempts).toBe(2);
    expect((await rows()).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it("retries deadlocks, then fails the records (retried next run) when they persist", async () => {
    await contacts();
    await admin.query(`CREATE TABLE \`${table}_n\` (n INT) ENGINE=MyISAM`);
    await admin.query(`INSERT INTO \`${table}_n\` VALUES (0)`);
    await admin.query(`CREATE TRIGGER \`${table}_busy\` BEFORE INSERT ON \`${table}\` FOR EACH ROW
      BEGIN UPDATE \`${table}_n\` SET n = n + 1;
        IF (SELECT n FROM \`${table}_n\`) <= 3 THEN SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'Deadlock found when trying to get lock'; END IF; END`);
    const outcome = await deliver([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]);
    expect(outcome.attempts).toBe(3);
    expect(outcome.results).toEqual([
      { status: "failed", reason: "MySQL: Deadlock found when trying to get lock (after 3 attempts)" },
    ]);
    const later = await deliver([rec("insert", { id: 3 }, { id: 3, email: "c@x.io" })]);
    expect(later).toMatchObject({ results: [{ status: "ok" }], attempts: 1 });
  });
});

describe("mysql-table: connections", () => {
  it("reuses one pool across calls and closes it on request", async () => {
    await contacts();
    await closeMysqlTablePools();
    for (let i = 0; i < 3; i++) await deliver([rec("insert", { id: 10 + i }, { id: 10 + i, email: "p@x.io" })]);
    expect(openMysqlTablePools()).toBe(1);
    const [sessions] = await admin.query<mysql.RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
      [database],
    );
    expect(sessions[0]?.n).toBe(1);
    await closeMysqlTablePools();
    expect(openMysqlTablePools()).toBe(0);
  });

  it("is registered with the configured batch size, and takes key columns as a list or a comma-separated string", () => {
    expect(getDestination("mysql-table")?.driver.maxBatchRecords(config({ batchSize: 300 }))).toBe(300);
    expect(config({ keyColumns: ["a", "b"] }).keyColumns).toEqual(["a", "b"]);
    expect(config({ keyColumns: " a , b " }).keyColumns).toEqual(["a", "b"]);
    expect(mysqlTableConfigSchema.safeParse({ ...config(), keyColumns: "a, a" }).success).toBe(false);
    expect(mysqlTableConfigSchema.safeParse({ ...config(), keyColumns: "" }).success).toBe(false);
  });
});

// Test-only: a database of its own on the machine's MariaDB (root, empty password), for the mysql-table tests
// here and the end-to-end ones in packages/core.
import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";

/** Creates `database` and returns a root connection using it. */
export async function createMysqlScratchDatabase(database: string): Promise<mysql.Connection> {
  const admin = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root", password: "" });
  await admin.query(`CREATE DATABASE \`${database}\``);
  await admin.query(`USE \`${database}\``);
  return admin;
}

/** Drops the users a test created and the database, then closes the connection. */
export async function dropMysqlScratchDatabase(admin: mysql.Connection, database: string, users: string[] = []): Promise<void> {
  for (const user of users) await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
}

/** A new user holding `grants` on database.table (none when empty); its name goes into `users`, to drop later. */
export async function createMysqlUser(
  admin: mysql.Connection,
  o: { database: string; table: string; grants: string; password: string },
  users: string[],
): Promise<string> {
  const user = `sluice_${randomBytes(3).toString("hex")}`;
  users.push(user);
  await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${o.password}'`);
  if (o.grants) await admin.query(`GRANT ${o.grants} ON \`${o.database}\`.\`${o.table}\` TO '${user}'@'%'`);
  return user;
}

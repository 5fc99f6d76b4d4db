// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes the schema as of the
// last commit that touched prisma/migrations to the schema in the working tree. Runs offline
// (`prisma migrate dev` cannot run here). Prisma's JS engine still opens a connection for `migrate diff`,
// so it uses DATABASE_URL, or the embedded PostgreSQL of `npm start` when that is unset.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../packages/db/src/embedded-postgres";
import { sluiceHome } from "../packages/db/src/home";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "..");
const migrationsDir = path.join(root, "prisma", "migrations");
const hasMigrations = readdirSync(migrationsDir, { withFileTypes: true }).some((d) => d.isDirectory());
const git = (...args: string[]) => execFileSync("git", args, { cwd: root }).toString().trim();

let from = ["--from-empty"];
let tmp: string | undefined;
if (hasMigrations) {
  const commit = git("log", "-1", "--format=%H", "--", "prisma/migrations");
  if (!commit)
    throw new Error(
      "commit the existing migrations first: the base schema is read from the last commit that touched prisma/migrations",
    );
  tmp = mkdtempSync(path.join(tmpdir(), "sluice-schema-"));
  execFileSync("sh", ["-c", `git archive ${commit} prisma | tar -x -C ${tmp}`], { cwd: root });
  rmSync(path.join(tmp, "prisma", "migrations"), { recursive: true, force: true });
  from = ["--from-schema-datamodel", path.join(tmp, "prisma")];
}
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres(sluiceHome());
const databaseUrl = process.env.DATABASE_URL ?? embedded?.url;
const sql = execFileSync(
  process.execPath,
  [
    path.join(root, "node_modules/prisma/build/index.js"),
    "migrate",
    "diff",
    ...from,
    "--to-schema-datamodel",
    path.join(root, "prisma"),
    "--script",
  ],
  { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } },
).toString();
await embedded?.stop();
if (tmp) rmSync(tmp, { recursive: true, force: true });
if (/^-- This is an empty migration\.?\s*$/m.test(sql.trim())) {
  console.log("schema unchanged: no migration written");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${path.relative(root, dir)}/migration.sql`);

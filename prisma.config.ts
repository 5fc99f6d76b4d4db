// Prisma CLI configuration. Prisma's Rust schema engine cannot be downloaded on our machines, so the CLI
// runs on its JS engine through the pg driver adapter (see shared PLATFORM.md). The connection is
// passed as discrete fields: with `connectionString` the shadow database would be the main one.
import { PrismaPg } from "@prisma/adapter-pg";
import { parse } from "pg-connection-string";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run migrations through `npm run db:deploy`.");
    const c = parse(url);
    return new PrismaPg({
      host: c.host ?? "127.0.0.1",
      port: c.port ? Number(c.port) : 5432,
      user: c.user ?? "postgres",
      password: c.password ?? undefined,
      database: c.database ?? "postgres",
    });
  },
});

export { type CreateDbOptions, createDb, type Db, pingDb, type Tx } from "./client";
export * from "./crypto";
export * from "./generated/prisma/client";
export { PROJECT_ROOT, sluiceHome } from "./home";
export { applyMigrations } from "./migrate";

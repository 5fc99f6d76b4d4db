// Points the web app's env at the vitest run's database. Import this before anything that reads `env`.
import { generateEncryptionKey } from "@sluice/db";
import { testDatabaseUrl } from "@sluice/db/testing";

process.env.DATABASE_URL = testDatabaseUrl();
process.env.SLUICE_ENCRYPTION_KEY ??= generateEncryptionKey();
process.env.SLUICE_AUTH_SECRET ??= "test-auth-secret-that-is-long-enough-0123456789";
process.env.SLUICE_PUBLIC_URL ??= "http://localhost:3000";
process.env.LOG_LEVEL ??= "silent";

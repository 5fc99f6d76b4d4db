// Test-only: executes one run in a separate process, so a test can SIGKILL a worker mid-delivery.
// Env: CHILD_DATABASE_URL, CHILD_ENCRYPTION_KEY, CHILD_RUN_ID, CHILD_LEASE_TTL_MS.
import { createDb, createKeyring } from "@sluice/db";
import pino from "pino";
import { executeRun } from "../execute-run";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset`);
  return value;
}

const db = createDb(env("CHILD_DATABASE_URL"), { maxConnections: 2 });
await executeRun(
  { db, keyring: createKeyring(env("CHILD_ENCRYPTION_KEY")), log: pino({ level: "silent" }), allowPrivateDestinations: true },
  {
    runId: env("CHILD_RUN_ID"),
    workerId: "child",
    leaseTtlMs: Number(env("CHILD_LEASE_TTL_MS")),
    deliveryRetry: { attempts: 2, baseMs: 1, capMs: 5 },
  },
);
await db.$disconnect();
process.stdout.write("finished\n");

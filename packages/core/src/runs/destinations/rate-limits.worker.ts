// Test-only: one worker process for rate-limits.test.ts. It executes one run with its own control-plane
// client and the production delivery retry policy (so 429s are waited out the way a real worker does), then
// exits: 0 when executeRun returned, 1 (stack on stderr) when it threw.
// Env: CHILD_DATABASE_URL, CHILD_ENCRYPTION_KEY, CHILD_RUN_ID, CHILD_WORKER_ID.
import { createDb, createKeyring } from "@sluice/db";
import pino from "pino";
import { executeRun } from "../execute-run";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset`);
  return value;
}

const db = createDb(env("CHILD_DATABASE_URL"), { maxConnections: 3 });
try {
  await executeRun(
    {
      db,
      keyring: createKeyring(env("CHILD_ENCRYPTION_KEY")),
      log: pino({ level: "warn" }, pino.destination(2)),
      allowPrivateDestinations: true, // the emulator listens on 127.0.0.1
    },
    { runId: env("CHILD_RUN_ID"), workerId: env("CHILD_WORKER_ID") },
  );
  await db.$disconnect();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

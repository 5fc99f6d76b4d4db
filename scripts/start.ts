// `npm start`: the zero-setup start. Validates the environment (bad input → one line with the fix, exit 1,
// before anything slow), picks the database (DATABASE_URL or the embedded PostgreSQL under .sluice/),
// resolves secrets, applies migrations, builds the web app when its sources changed, then runs the web
// app and the worker together until Ctrl-C / SIGTERM. The steps live in scripts/start/.
import path from "node:path";
import { PROJECT_ROOT, sluiceHome } from "../packages/db/src/home";
import { buildWeb } from "./start/build-web";
import { migrateIfNeeded } from "./start/migrations";
import { checkPortsFree } from "./start/preflight";
import { type ResolvedDatabase, resolveDatabase } from "./start/resolve-database";
import { resolveAuthSecret, resolveEncryptionKey } from "./start/secrets";
import { parseStartEnv } from "./start/start-env";
import { StartupError } from "./start/startup-error";
import { Supervisor, waitForHealthy } from "./start/supervise";

const HEALTHY_TIMEOUT_MS = 120_000;
const startedAt = performance.now();
const say = (line: string) => console.log(`› ${line}`);
const seconds = () => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;

let database: ResolvedDatabase | undefined;
let shuttingDown = false;
const aborted = new AbortController();
const supervisor = new Supervisor((exit) => {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  console.error(`✖ The ${exit.name} ${how} — stopping Sluice (its output above says why)`);
  void shutdown(1);
});

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    aborted.abort();
    await supervisor.stopAll();
    await database?.stop();
  }
  process.exit(code);
}

// Ctrl-C / SIGTERM / SIGHUP: the children stop first (the worker drains), then the embedded database, then we
// exit 0. A second signal while stopping is ignored rather than cutting the drain short.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (shuttingDown) return;
    console.log(`› ${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping Sluice…`);
    void shutdown(0);
  });
}

async function main(): Promise<void> {
  const env = parseStartEnv(process.env);
  await checkPortsFree([
    { port: env.PORT, variable: "PORT" },
    { port: env.SLUICE_WORKER_PORT, variable: "SLUICE_WORKER_PORT" },
  ]);
  const home = sluiceHome(process.env);

  database = await resolveDatabase({ databaseUrl: env.DATABASE_URL, demoDatabaseUrl: env.SLUICE_DEMO_DATABASE_URL, home, say });
  const encryptionKey = resolveEncryptionKey(env.SLUICE_ENCRYPTION_KEY, home);
  const authSecret = resolveAuthSecret(env.SLUICE_AUTH_SECRET, home);
  if (encryptionKey.source === "generated")
    say(`Generated an encryption key in ${encryptionKey.file} — back it up: stored credentials need it`);
  if (authSecret.source === "generated") say(`Generated a session secret in ${authSecret.file}`);

  const migrations = await migrateIfNeeded(database.url);
  say(
    migrations.applied.length === 0
      ? "Database schema is up to date"
      : `Applied ${migrations.applied.length} database migration${migrations.applied.length === 1 ? "" : "s"}`,
  );
  if (shuttingDown) return;

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    SLUICE_HOME: home,
    DATABASE_URL: database.url,
    SLUICE_ENCRYPTION_KEY: encryptionKey.value,
    SLUICE_AUTH_SECRET: authSecret.value,
    PORT: String(env.PORT),
    SLUICE_WORKER_PORT: String(env.SLUICE_WORKER_PORT),
    SLUICE_PUBLIC_URL: env.SLUICE_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    // The embedded default is a local trial: let the demo destination post to this machine.
    SLUICE_ALLOW_PRIVATE_DESTINATIONS: env.SLUICE_ALLOW_PRIVATE_DESTINATIONS ?? (database.embedded ? "true" : "false"),
  };
  if (database.demoUrl) childEnv.SLUICE_DEMO_DATABASE_URL = database.demoUrl;
  else delete childEnv.SLUICE_DEMO_DATABASE_URL;

  await buildWeb({ env: childEnv, say, signal: aborted.signal });
  if (shuttingDown) return;

  say(`Starting the web app on port ${env.PORT} and the worker on port ${env.SLUICE_WORKER_PORT}…`);
  supervisor.start({
    name: "web app",
    command: process.execPath,
    args: [path.join(PROJECT_ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(env.PORT)],
    cwd: path.join(PROJECT_ROOT, "apps", "web"),
    env: childEnv,
  });
  supervisor.start({
    name: "worker",
    command: process.execPath,
    args: ["--import", "tsx", path.join(PROJECT_ROOT, "apps", "worker", "src", "main.ts")],
    cwd: PROJECT_ROOT,
    env: childEnv,
  });

  const healthy = await waitForHealthy(`http://127.0.0.1:${env.PORT}/api/health`, {
    timeoutMs: HEALTHY_TIMEOUT_MS,
    isAborted: () => shuttingDown,
  });
  if (shuttingDown) return;
  if (!healthy) {
    throw new StartupError(
      `The web app did not answer on http://127.0.0.1:${env.PORT}/api/health within ${HEALTHY_TIMEOUT_MS / 1000} s — see its log lines above`,
    );
  }
  console.log(`\n  Sluice is running at http://localhost:${env.PORT}   (ready in ${seconds()}; Ctrl-C to stop)\n`);
}

main().catch(async (error: unknown) => {
  if (shuttingDown) return;
  if (error instanceof StartupError) console.error(`✖ ${error.message}`);
  else {
    console.error(`✖ Sluice failed to start: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    if (process.env.DEBUG) console.error(error);
  }
  await shutdown(1);
});

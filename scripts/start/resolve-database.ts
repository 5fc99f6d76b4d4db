// Which PostgreSQL Sluice uses: DATABASE_URL when set (checked reachable first), else the embedded server
// whose data lives under <home>/postgres and survives restarts. The embedded default also gets a
// `sluice_demo` database for the demo warehouse, so the demo never mixes with the control plane.
import path from "node:path";
import { type EmbeddedDatabase, ensureDatabase, startEmbeddedPostgres } from "../../packages/db/src/embedded-postgres";
import { checkDatabaseReachable } from "./preflight";
import { StartupError } from "./startup-error";

const DEMO_DATABASE = "sluice_demo";

export interface ResolvedDatabase {
  url: string;
  /** Where the demo warehouse lives; undefined = the app's default (DATABASE_URL). */
  demoUrl?: string;
  embedded?: EmbeddedDatabase;
  /** Stops the embedded server if this process started it; never hangs. */
  stop(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function resolveDatabase(o: {
  databaseUrl?: string;
  demoDatabaseUrl?: string;
  home: string;
  say: (line: string) => void;
}): Promise<ResolvedDatabase> {
  if (o.databaseUrl) {
    await checkDatabaseReachable(o.databaseUrl);
    if (o.demoDatabaseUrl) await checkDatabaseReachable(o.demoDatabaseUrl, "SLUICE_DEMO_DATABASE_URL");
    const { hostname, port } = new URL(o.databaseUrl);
    o.say(`Using the PostgreSQL at ${hostname}:${port || 5432} (DATABASE_URL)`);
    return { url: o.databaseUrl, demoUrl: o.demoDatabaseUrl, stop: async () => {} };
  }

  const dataDir = path.join(o.home, "postgres");
  const relative = path.relative(process.cwd(), dataDir);
  const where = relative.startsWith("..") ? dataDir : relative;
  o.say(`Starting the embedded PostgreSQL (data in ${where}; set DATABASE_URL to use your own)…`);
  let embedded: EmbeddedDatabase;
  try {
    embedded = await startEmbeddedPostgres(o.home, (line) => o.say(line));
  } catch (error) {
    const reason = error instanceof Error ? error.message : "the server exited during start-up";
    throw new StartupError(
      `Could not start the embedded PostgreSQL in ${o.home}/postgres (${reason.split("\n")[0]}) — check that directory is writable, or set DATABASE_URL to use your own PostgreSQL`,
    );
  }
  const stop = () => embedded.stop();
  try {
    let demoUrl = o.demoDatabaseUrl;
    if (!demoUrl) {
      await ensureDatabase(embedded.adminUrl, DEMO_DATABASE);
      demoUrl = withDatabase(embedded.adminUrl, DEMO_DATABASE);
    }
    o.say(`Embedded PostgreSQL ${embedded.started ? "started" : "already running"} on 127.0.0.1:${embedded.port}`);
    return { url: embedded.url, demoUrl, embedded, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

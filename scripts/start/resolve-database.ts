// Which PostgreSQL Sluice uses: DATABASE_URL when set (checked reachable first), else the embedded server
// whose data lives under <home>/postgres and survives restarts. The embedded default also gets a
// `sluice_demo` database for the demo warehouse, so the demo never mixes with the control plane.
import path from "node:path";
import type { EmbeddedDatabase } from "../../packages/db/src/embedded-postgres";
import { RuntimeConfigError, startEmbeddedControlPlane, withDatabase } from "../../packages/db/src/runtime-config";
import { checkDatabaseReachable } from "./preflight";
import { StartupError } from "./startup-error";

export { withDatabase };

export interface ResolvedDatabase {
  url: string;
  /** Where the demo warehouse lives; undefined = the app's default (DATABASE_URL). */
  demoUrl?: string;
  embedded?: EmbeddedDatabase;
  /** Stops the embedded server if this process started it; never hangs. */
  stop(): Promise<void>;
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
  try {
    const plane = await startEmbeddedControlPlane(o.home, (line) => o.say(line));
    const { embedded } = plane;
    o.say(`Embedded PostgreSQL ${embedded.started ? "started" : "already running"} on 127.0.0.1:${embedded.port}`);
    return { url: plane.url, demoUrl: o.demoDatabaseUrl ?? plane.demoUrl, embedded, stop: () => embedded.stop() };
  } catch (error) {
    if (error instanceof RuntimeConfigError) throw new StartupError(error.message);
    throw error;
  }
}

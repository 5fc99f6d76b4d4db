// The zero-setup database: a real PostgreSQL server from the binaries shipped in an npm package, its
// data kept under `<home>/postgres/data` so it survives restarts. A server left running by an earlier
// process on the same data directory (postmaster.pid alive) is reused rather than started twice.
// As root the server runs as `postgres` (see postgres-binaries.ts); when that user cannot reach <home>,
// the data lives in /var/lib/sluice/clusters/<hash of home> instead, and start-up says so.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { locateBinaries, type PostgresBinaries, type RunAs, reachableBy, SYSTEM_DIR } from "./postgres-binaries";

const DEFAULT_PORT = 54329;
const DATABASE_NAME = "sluice";
const USER = "sluice";
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface EmbeddedDatabase {
  /** Connection URL of the control-plane database. */
  url: string;
  /** Connection URL of the same server's maintenance database, for creating other databases. */
  adminUrl: string;
  port: number;
  /** The cluster's data directory. */
  dataDir: string;
  /** True when this process started the server (and so should stop it). */
  started: boolean;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(home: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  // 0711: the server may run as another user (`postgres`, when we are root) and must traverse the home.
  mkdirSync(home, { recursive: true, mode: 0o711 });
  chmodSync(home, 0o711);
  const password = readOrCreatePassword(path.join(home, "postgres-password"));
  const binaries = locateBinaries();
  const clusterDir = clusterDirectory(home, binaries.runAs, log);
  const dataDir = path.join(clusterDir, "data");
  const urlFor = (port: number, db: string) => `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

  const running = runningServerPort(dataDir);
  if (running !== undefined && (await canConnect(urlFor(running, "postgres")))) {
    log(`reusing the embedded PostgreSQL already running on port ${running}`);
    await ensureDatabase(urlFor(running, "postgres"), DATABASE_NAME);
    const base = { url: urlFor(running, DATABASE_NAME), adminUrl: urlFor(running, "postgres"), port: running, dataDir };
    return { ...base, started: false, stop: async () => {} };
  }

  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (binaries.runAs) chownSync(clusterDir, binaries.runAs.uid, binaries.runAs.gid);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`creating the embedded PostgreSQL in ${dataDir}`);
    initialise(binaries, clusterDir, dataDir, password);
  }
  const port = await firstFreePort(DEFAULT_PORT);
  const child = await startServer(binaries, dataDir, port, urlFor(port, "postgres"));
  await ensureDatabase(urlFor(port, "postgres"), DATABASE_NAME);
  const base = { url: urlFor(port, DATABASE_NAME), adminUrl: urlFor(port, "postgres"), port, dataDir };
  return { ...base, started: true, stop: () => stopServer(child) };
}

/** `<home>/postgres`, unless we are root and `postgres` cannot reach it. */
function clusterDirectory(home: string, runAs: RunAs | undefined, log: (line: string) => void): string {
  const inHome = path.join(home, "postgres");
  if (!runAs || reachableBy(runAs, home)) return inHome;
  const id = createHash("sha256").update(realpathSync(home)).digest("hex").slice(0, 16);
  const elsewhere = path.join(SYSTEM_DIR, "clusters", id);
  mkdirSync(path.dirname(elsewhere), { recursive: true, mode: 0o755 });
  log(`the postgres user cannot reach ${home}, so the embedded PostgreSQL keeps its data in ${elsewhere}`);
  return elsewhere;
}

function initialise(binaries: PostgresBinaries, clusterDir: string, dataDir: string, password: string): void {
  const pwfile = path.join(clusterDir, `pwfile-${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (binaries.runAs) chownSync(pwfile, binaries.runAs.uid, binaries.runAs.gid);
  try {
    const args = ["-D", dataDir, "-U", USER, "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--locale=C"];
    const result = spawnSync(binaries.initdb, args, { ...binaries.runAs, encoding: "utf8" });
    if (result.status !== 0) {
      const why = result.error?.message ?? result.stderr.trim().split("\n").slice(-2).join(" ");
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`initdb failed: ${why}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function startServer(binaries: PostgresBinaries, dataDir: string, port: number, adminUrl: string): Promise<ChildProcess> {
  // TCP on loopback only; no Unix socket (its path length is limited and its directory must be writable).
  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  // Own process group: a Ctrl-C meant for us must not kill the server before we stop it cleanly.
  const child = spawn(binaries.postgres, args, { ...binaries.runAs, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await canConnect(adminUrl))) {
    if (exited || Date.now() > deadline) {
      child.kill("SIGKILL");
      const why = stderr.trim().split("\n").slice(-2).join(" ") || "no output";
      throw new Error(`the embedded PostgreSQL did not start (${exited ? "it exited" : "timed out"}): ${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.stderr?.removeAllListeners("data");
  child.stderr?.resume();
  child.unref();
  return child;
}

/** Fast shutdown (SIGINT): open sessions are ended, the data stays consistent. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
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

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => {});
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

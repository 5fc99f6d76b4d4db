// Where the bench keeps its data: scratch databases on DATABASE_URL's server when it is set, else on the
// embedded PostgreSQL (home <repo>/.sluice/bench). One database for the control plane, one standing in
// for the warehouse; both are dropped at the end, and the embedded server stopped if the bench started it.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../packages/db/src/embedded-postgres";
import { PROJECT_ROOT } from "../../packages/db/src/home";
import { withDatabase } from "../../packages/db/src/runtime-config";

export interface BenchServer {
  /** What the figures were measured on, for the report. */
  label: string;
  adminUrl: string;
  stop(): Promise<void>;
}

export async function resolveServer(say: (line: string) => void): Promise<BenchServer> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) return { label: `DATABASE_URL's server (${new URL(url).host})`, adminUrl: url, stop: async () => {} };
  const home = path.join(PROJECT_ROOT, ".sluice", "bench");
  const embedded = await startEmbeddedPostgres(home, say);
  return {
    label: `embedded PostgreSQL (port ${embedded.port}, ${home})`,
    adminUrl: embedded.adminUrl,
    stop: () => embedded.stop(),
  };
}

export interface ScratchDatabases {
  controlUrl: string;
  warehouseUrl: string;
  drop(): Promise<void>;
}

export async function createScratchDatabases(adminUrl: string): Promise<ScratchDatabases> {
  const suffix = randomBytes(4).toString("hex");
  const names = [`sluice_bench_${suffix}`, `sluice_bench_${suffix}_wh`];
  const created: string[] = [];
  const drop = async () => {
    await withAdmin(adminUrl, async (client) => {
      for (const name of created.splice(0)) {
        // WITH (FORCE) (PostgreSQL 13+) ends sessions a crashed step may have left open.
        await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      }
    });
  };
  try {
    await withAdmin(adminUrl, async (client) => {
      for (const name of names) {
        await client.query(`create database ${pg.escapeIdentifier(name)}`);
        created.push(name);
      }
    });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return {
    controlUrl: withDatabase(adminUrl, names[0] as string),
    warehouseUrl: withDatabase(adminUrl, names[1] as string),
    drop,
  };
}

async function withAdmin(adminUrl: string, fn: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

// Checks that need the machine rather than the environment's text: ports free, database reachable.
// Each failure is a StartupError whose message is one line with the fix.
import pg from "pg";
import { isPortFree } from "../../packages/db/src/embedded-postgres";
import { StartupError } from "./startup-error";

const CONNECT_TIMEOUT_MS = 5_000;

export interface PortClaim {
  port: number;
  /** The variable that sets it, used in the suggested fix. */
  variable: "PORT" | "SLUICE_WORKER_PORT";
}

/** Free on every IPv4 interface (the web app and worker listen on all of them). */
async function isFree(port: number): Promise<boolean> {
  return (await isPortFree(port, "0.0.0.0")) && (await isPortFree(port, "127.0.0.1"));
}

/** Throws when a port is taken, suggesting a free one to use instead. */
export async function checkPortsFree(claims: PortClaim[]): Promise<void> {
  const claimed = new Set(claims.map((c) => c.port));
  for (const claim of claims) {
    if (await isFree(claim.port)) continue;
    let suggestion = claim.port + 5;
    while (suggestion < 65535 && (claimed.has(suggestion) || !(await isFree(suggestion)))) suggestion++;
    const label = claim.variable === "PORT" ? `Port ${claim.port}` : `Port ${claim.port} (the worker's, SLUICE_WORKER_PORT)`;
    throw new StartupError(
      `${label} is already in use — stop the program using it or run ${claim.variable}=${suggestion} npm start`,
    );
  }
}

/** Connects once and runs `select 1`; throws a StartupError that never contains the password. */
export async function checkDatabaseReachable(url: string, variable = "DATABASE_URL"): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new StartupError(describeConnectError(url, error, variable));
  } finally {
    await client.end().catch(() => {});
  }
}

export function describeConnectError(url: string, error: unknown, variable = "DATABASE_URL"): string {
  const u = new URL(url);
  const host = u.hostname || u.searchParams.get("host") || "localhost";
  const where = `${host}:${u.port || "5432"}`;
  const user = decodeURIComponent(u.username) || "(default user)";
  const database = decodeURIComponent(u.pathname.slice(1)) || user;
  const e = error as { code?: string; message?: string };
  const code = e.code ?? "";
  switch (code) {
    case "28P01":
    case "28000":
      return `PostgreSQL at ${where} refused user "${user}" (${code === "28P01" ? "wrong password" : "not allowed"}) — check the user and password in ${variable}`;
    case "3D000":
      return `PostgreSQL at ${where} has no database "${database}" — create it (createdb -h ${host} ${database}) or point ${variable} at an existing one`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot resolve the PostgreSQL host "${host}" (${code}) — check the host name in ${variable}`;
  }
  const reason =
    code || (/timeout/i.test(e.message ?? "") ? "timed out" : ((e.message ?? "unknown error").split("\n")[0] ?? "unknown error"));
  const fix =
    variable === "DATABASE_URL"
      ? `is it running? Check ${variable}, or unset it to use the embedded database`
      : `is it running? Check ${variable}`;
  return `Cannot connect to PostgreSQL at ${where} (${redactPassword(reason, u.password)}) — ${fix}`;
}

function redactPassword(text: string, password: string): string {
  return password ? text.split(decodeURIComponent(password)).join("***") : text;
}

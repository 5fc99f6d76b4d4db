// Turns driver errors into one actionable sentence. Codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
// Messages name host, port, database and user, never the password or the connection string.
import { CheckFailure } from "../../kit/spec";
import { CONNECT_TIMEOUT_MS } from "./connect";

export interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
}

export function explainPostgresError(error: unknown, t: Target): string {
  if (error instanceof CheckFailure) return error.message;
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  switch (e.code) {
    case "ECONNREFUSED":
      return `Nothing accepted a connection at ${t.host}:${t.port}. Check the host and port, and that PostgreSQL listens on TCP (listen_addresses in postgresql.conf).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host "${t.host}" could not be found in DNS. Check its spelling.`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
      return timeoutMessage(t);
    case "28P01":
      return `Password authentication failed for user "${t.user}". Check the user name and password, or reset it with ALTER ROLE ${t.user} PASSWORD '…'.`;
    case "28000":
      return `The server refused user "${t.user}" (${message}). Allow this connection in pg_hba.conf, or check the user name.`;
    case "3D000":
      return `Database "${t.database}" does not exist on ${t.host}:${t.port}. Check the database name (psql's \\l lists them).`;
    case "42501":
      return `User "${t.user}" lacks a privilege: ${message}. Grant it, e.g. GRANT CREATE ON DATABASE ${t.database} TO ${t.user}.`;
    case "53300":
      return `The server has no free connections (too many clients). Try again, or raise max_connections.`;
  }
  if (/timeout/i.test(message)) return timeoutMessage(t);
  if (/terminated unexpectedly/i.test(message)) {
    return `The server at ${t.host}:${t.port} closed the connection during start-up. Check that this port is PostgreSQL (not another service or a proxy) and that the SSL mode matches the server.`;
  }
  if (/does not support SSL/i.test(message)) {
    return `The server at ${t.host}:${t.port} does not accept SSL. Set SSL mode to "disable" (only on a trusted network).`;
  }
  if (/self[- ]signed|certificate/i.test(message)) {
    return `The server's certificate could not be verified (${message}). Use SSL mode "require", or install a trusted certificate.`;
  }
  return `PostgreSQL said: ${message}`;
}

function timeoutMessage(t: Target): string {
  return `No answer from ${t.host}:${t.port} within ${CONNECT_TIMEOUT_MS / 1000} s. Check the host and port, and any firewall or security group between Sluice and the database.`;
}

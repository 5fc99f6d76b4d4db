// The demo warehouse's connection URL as the postgres connector's field-by-field config, so the source
// form shows host, database and user like any source a user adds by hand (the password stays sealed).
import { AppError } from "../errors";

export interface DemoPostgresConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslMode: "disable" | "require" | "verify-full";
  sluiceSchema: string;
}

/** Where Sluice keeps its snapshots inside the demo warehouse (the connector's default). */
export const DEMO_SLUICE_SCHEMA = "sluice";

export function demoSourceConfig(warehouseUrl: string): DemoPostgresConfig {
  let url: URL;
  try {
    url = new URL(warehouseUrl);
  } catch {
    throw new AppError("BAD_REQUEST", "The demo warehouse URL is not a valid postgresql:// URL");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new AppError("BAD_REQUEST", "The demo warehouse URL must start with postgresql://");
  }
  const sslmode = url.searchParams.get("sslmode");
  return {
    // libpq lets `?host=` override the authority (e.g. a socket directory); honour it the same way.
    host: url.searchParams.get("host") ?? decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")),
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres",
    user: decodeURIComponent(url.username) || "postgres",
    password: decodeURIComponent(url.password),
    // node-postgres has no "prefer"; anything short of an explicit requirement means no TLS, as pg itself does.
    sslMode: sslmode === "verify-full" ? "verify-full" : sslmode === "require" || sslmode === "verify-ca" ? "require" : "disable",
    sluiceSchema: DEMO_SLUICE_SCHEMA,
  };
}

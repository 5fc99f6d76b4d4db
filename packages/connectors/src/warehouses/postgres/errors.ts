// Sorting PostgreSQL failures into the kinds a run engine acts on: the warehouse cannot be reached, the
// model's SQL is wrong, or something else the warehouse refused. Codes:
// https://www.postgresql.org/docs/current/errcodes-appendix.html
import { WarehouseError } from "../../kit/warehouse";
import { explainPostgresError, type Target } from "./explain-error";

// Connection exception, operator intervention (shutdown, terminated), insufficient resources, auth, no database.
const CONNECTION_CLASSES = new Set(["08", "57", "53", "28", "3D"]);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True for failures of the link itself (refused, DNS, timeout, lost connection, server shutting down). */
export function isConnectionFailure(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined) return CONNECTION_CLASSES.has(code.slice(0, 2)) && code !== "57014"; // 57014: statement timeout
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === "string" && /^E[A-Z]+$/.test(e.code)) return true; // ECONNREFUSED, ENOTFOUND, ETIMEDOUT, …
  return /connection|terminated|not queryable|timeout|socket/i.test(String(e.message ?? ""));
}

/** For statements that embed the model's SQL: its errors become "model SQL is invalid: …". */
export function modelError(error: unknown, target: Target): unknown {
  if (!sqlState(error) || isConnectionFailure(error)) return toWarehouseError(error, target, true);
  const message = (error as { message?: string }).message ?? String(error);
  return new WarehouseError("model", `model SQL is invalid: ${message}`, { cause: error });
}

/**
 * Driver failures become WarehouseErrors with an actionable message; anything else (a bug) passes through.
 * `connected`: the session was up, so a link failure is a lost connection rather than a failed start-up.
 */
export function toWarehouseError(error: unknown, target: Target, connected = false): unknown {
  if (error instanceof WarehouseError) return error;
  if (connected && isConnectionFailure(error) && !sqlState(error)) {
    const message = (error as { message?: string }).message ?? String(error);
    return new WarehouseError("connection", `Lost the connection to ${target.host}:${target.port} (${message}).`, {
      cause: error,
    });
  }
  if (isConnectionFailure(error)) return new WarehouseError("connection", explainPostgresError(error, target), { cause: error });
  if (sqlState(error)) return new WarehouseError("warehouse", explainPostgresError(error, target), { cause: error });
  return error;
}

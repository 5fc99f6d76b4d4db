// One connection to a PostgreSQL warehouse for the length of a run (or a browse). Settings that change how
// values print are pinned, so row hashes do not depend on the server's or role's defaults. Calls are
// serialized: a session is one connection, and transactions must not interleave.
import pg from "pg";
import { isWarehouseError, type WarehouseSession } from "../../kit/warehouse";
import * as catalog from "./catalog";
import { cleanupRun, commitRun } from "./commit-sql";
import { describeTarget, type PostgresConfig } from "./config";
import { clientConfig } from "./connect";
import { createDiff } from "./diff-sql";
import { modelError, toWarehouseError } from "./errors";
import { markOutcomes, readDiffPage } from "./keyset";
import { createSnapshot } from "./snapshot-sql";
import { sqlFor } from "./sql";
import { sessionTypes } from "./value-parsers";

const SESSION_SETTINGS = [
  "set timezone = 'UTC'",
  "set datestyle = 'ISO, MDY'",
  "set intervalstyle = 'postgres'",
  "set extra_float_digits = 1",
  "set bytea_output = 'hex'",
  "set statement_timeout = 0",
];

export async function openPostgresSession(config: PostgresConfig): Promise<WarehouseSession> {
  const target = describeTarget(config);
  // Snapshots of big models take minutes: no client-side query timeout, only the connect timeout.
  const client = new pg.Client({ ...clientConfig(config), query_timeout: undefined, types: sessionTypes });
  client.on("error", () => {}); // a dropped idle connection surfaces on the next call instead of crashing the process
  try {
    await client.connect();
    for (const statement of SESSION_SETTINGS) await client.query(statement);
  } catch (error) {
    await client.end().catch(() => {});
    throw toWarehouseError(error, target);
  }
  const sql = sqlFor(client);
  const hide = [config.sluiceSchema];
  const onModelError = (error: unknown) => modelError(error, target);

  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>, errors: (error: unknown) => unknown = (e) => toWarehouseError(e, target, true)) {
    const run = queue.then(fn).catch((error) => {
      throw errors(error);
    });
    queue = run.catch(() => {});
    return run;
  }

  return {
    listSchemas: () => serial(() => catalog.listSchemas(sql, hide)),
    listTables: (schema) => serial(() => catalog.listTables(sql, schema)),
    listColumns: (schema, table) => serial(() => catalog.listColumns(sql, schema, table)),
    preview: (query, limit) => serial(() => catalog.preview(sql, query, limit), onModelError),
    describeQuery: (query) => serial(() => catalog.describeQuery(sql, query), onModelError),
    readRowByKey: (query, key) =>
      serial(
        () => catalog.readRowByKey(sql, query, key),
        (e) => (isWarehouseError(e) ? e : onModelError(e)),
      ),
    checkPrimaryKey: (query, primaryKey) =>
      serial(
        () => catalog.checkPrimaryKey(sql, query, primaryKey),
        (e) => (isWarehouseError(e) ? e : onModelError(e)),
      ),
    snapshot: (o) => serial(() => createSnapshot(sql, o, onModelError)),
    diff: (o) => serial(() => createDiff(sql, o)),
    readDiffPage: (o) => serial(() => readDiffPage(sql, o)),
    markOutcomes: (o) => serial(() => markOutcomes(sql, o)),
    commit: (o) => serial(() => commitRun(sql, o)),
    cleanup: (o) => serial(() => cleanupRun(sql, o)),
    close: () => serial(() => client.end()).catch(() => {}),
  };
}

// One deliver() call of a table destination (postgres-table, mysql-table): plan the records, make sure the table
// can take them (create it when allowed; key columns, a unique key on them, no unknown columns), write them in
// one transaction with bad rows isolated (writer.ts), and answer one result per record. Transient
// failures (connection lost, timeout, deadlock, serialization) are retried here a couple of times, then the
// records are failed (retried next run); configuration problems throw FatalDestinationError.
import {
  type BatchOutcome,
  type DeliverOptions,
  type DeliveryBatch,
  type Exchange,
  FatalDestinationError,
  type RecordResult,
  truncateForRecord,
} from "../delivery";
import { type AttemptResult, type RetryPolicy, withRetry } from "../retry";
import { planRecords, type RecordPlan } from "./records";
import { findUniqueKey, type InferredColumn, inferColumns, type TableInfo } from "./types";
import {
  type ClassifiedError,
  type StatementRecorder,
  type TableDialect,
  type TableSession,
  TableWriteError,
  type WriteMode,
  writeRows,
} from "./writer";

/** A couple of quick retries: a lost connection or a deadlock usually clears at once; longer outages wait for the next run. */
export const TABLE_RETRY_POLICY: RetryPolicy = { attempts: 3, baseMs: 200, capMs: 2_000 };
const RECORDED_EXCHANGES = 20;

/** One pooled connection, for one attempt. */
export interface TableConnection extends TableSession {
  /** The target table, or undefined when it does not exist. Cached per pool for a while; `fresh` reads it again. */
  tableInfo(fresh?: boolean): Promise<TableInfo | undefined>;
  createTable(columns: InferredColumn[]): Promise<void>;
  dialect(info: TableInfo): TableDialect;
}

export interface TableTarget<C> {
  /** Validates the config; throws FatalDestinationError naming what to fix. */
  parse(raw: C): C;
  keyColumns(config: C): string[];
  createTable(config: C): boolean;
  /** Where the rows go, for the debugger: a connection URL without the password. */
  describe(config: C): string;
  /** The table as messages name it, e.g. public.contacts. */
  tableLabel(config: C): string;
  /** The statement that adds the unique index the key needs (for the message when it is missing). */
  uniqueIndexHint(config: C): string;
  /** Runs `fn` on a pooled connection (a broken connection is dropped, not returned to the pool). */
  withConnection<T>(config: C, options: DeliverOptions, fn: (connection: TableConnection) => Promise<T>): Promise<T>;
  classify(config: C, error: unknown): ClassifiedError;
}

export async function deliverTableBatch<C>(
  target: TableTarget<C>,
  rawConfig: C,
  batch: DeliveryBatch,
  options: DeliverOptions,
): Promise<BatchOutcome> {
  const config = target.parse(rawConfig);
  const started = performance.now();
  const url = target.describe(config);
  const keyColumns = target.keyColumns(config);
  const mode: WriteMode = batch.mode ?? "upsert";
  const exchanges: Exchange[] = [];
  const record: StatementRecorder = (statement, outcome, ms) => {
    // Transaction control (BEGIN, SAVEPOINT…) would crowd out the statements that carry rows; kept when it fails.
    if (statement.values.length === 0 && !outcome.error) return;
    exchanges.push({
      request: { method: "SQL", url, headers: {}, body: truncateForRecord(statement.display) },
      // SQL has no HTTP status: 0, and the body says what the database answered.
      response: {
        status: 0,
        body: truncateForRecord(outcome.error ? `ERROR: ${outcome.error}` : `OK: ${outcome.rowCount ?? 0} rows`),
      },
      latencyMs: Math.round(ms),
    });
    if (exchanges.length > RECORDED_EXCHANGES) {
      // Keep the failures (why a row was rejected) over the statements that went through.
      const oldestOk = exchanges.findIndex((e) => !e.response?.body.startsWith("ERROR"));
      exchanges.splice(Math.max(oldestOk, 0), 1);
    }
  };

  if (batch.records.length === 0) {
    return { results: [], attempts: 0, latencyMs: 0, request: { method: "SQL", url, headers: {}, body: "" }, exchanges };
  }

  const attempt = async (): Promise<AttemptResult<Map<number, RecordResult>>> => {
    try {
      const value = await target.withConnection(config, options, (connection) =>
        writeBatch(target, config, connection, batch, keyColumns, mode, record),
      );
      return { kind: "done", value };
    } catch (error) {
      const failure =
        error instanceof TableWriteError
          ? { kind: error.kind, message: error.message }
          : error instanceof FatalDestinationError
            ? { kind: "fatal" as const, message: error.message }
            : target.classify(config, error);
      if (failure.kind === "fatal") throw new FatalDestinationError(failure.message, { cause: error });
      if (options.signal?.aborted) throw error;
      return { kind: "retry", reason: failure.message };
    }
  };

  const outcome = await withRetry(options.retry ?? TABLE_RETRY_POLICY, attempt, options.signal);
  let results: RecordResult[];
  if (outcome.kind === "done") {
    results = batch.records.map((_, i) => outcome.value.get(i) ?? { status: "failed", reason: "the record was not written" });
  } else {
    // Records without a key stay rejected: no retry can give them one.
    const rejected = planRecords(batch.records, keyColumns, undefined).rejected;
    results = batch.records.map((_, i) => {
      const reason = rejected.get(i);
      return reason ? { status: "rejected", reason } : { status: "failed", reason: outcome.reason };
    });
  }
  const last = exchanges[exchanges.length - 1];
  return {
    results,
    attempts: outcome.attempts,
    latencyMs: Math.round(performance.now() - started),
    request: last?.request ?? { method: "SQL", url, headers: {}, body: "" },
    exchanges,
  };
}

async function writeBatch<C>(
  target: TableTarget<C>,
  config: C,
  connection: TableConnection,
  batch: DeliveryBatch,
  keyColumns: string[],
  mode: WriteMode,
  record: StatementRecorder,
): Promise<Map<number, RecordResult>> {
  const table = target.tableLabel(config);
  // A missing table is never cached, so `undefined` here is the database's current answer.
  let info = await connection.tableInfo();
  if (!info) {
    const plan = planRecords(batch.records, keyColumns, undefined);
    const writes = plan.rows.filter((r) => r.kind === "write");
    if (writes.length === 0) return settled(plan, new Map()); // deleting from a table that does not exist: nothing to do
    if (!target.createTable(config)) {
      throw new TableWriteError(
        "fatal",
        `table ${table} does not exist — create it (with a primary key or unique index on ${keyColumns.join(", ")}), or turn on "createTable"`,
      );
    }
    await connection.createTable(inferColumns(writes, keyColumns));
    info = await connection.tableInfo(true);
    if (!info) throw new TableWriteError("transient", `table ${table} was created but cannot be seen yet`);
  }
  let plan = planRecords(batch.records, keyColumns, info);
  if (plan.unknownColumns.length > 0) {
    // The table may have gained the column since it was read: look again before failing the run.
    info = (await connection.tableInfo(true)) ?? info;
    plan = planRecords(batch.records, keyColumns, info);
  }
  checkTable(target, config, info, plan, keyColumns);
  const dialect = connection.dialect(info);
  const results = new Map<number, RecordResult>();
  const rows = plan.rows.filter((row) => {
    if (row.bytes <= dialect.maxBytes) return true;
    results.set(row.index, {
      status: "rejected",
      reason: `the row is about ${row.bytes} bytes, more than one statement may carry here (${dialect.maxBytes} bytes)`,
    });
    return false;
  });
  const written = await writeRows(connection, dialect, rows, mode, record);
  for (const [index, result] of written) results.set(index, result);
  return settled(plan, results);
}

function settled(plan: RecordPlan, results: Map<number, RecordResult>): Map<number, RecordResult> {
  for (const row of plan.rows) if (!results.has(row.index)) results.set(row.index, { status: "ok" });
  for (const [index, reason] of plan.rejected) results.set(index, { status: "rejected", reason });
  return results;
}

/** Problems no row can get past: they fail the run with a message saying what to fix. */
function checkTable<C>(target: TableTarget<C>, config: C, info: TableInfo, plan: RecordPlan, keyColumns: string[]): void {
  const table = target.tableLabel(config);
  const missingKeys = keyColumns.filter((k) => !info.columns.has(k));
  if (missingKeys.length > 0) {
    throw new TableWriteError(
      "fatal",
      `table ${table} has no column ${quoteList(missingKeys)} — fix the key columns in the destination's settings, or add the column`,
    );
  }
  if (!findUniqueKey(info, keyColumns)) {
    throw new TableWriteError(
      "fatal",
      `table ${table} has no primary key or unique index on exactly (${keyColumns.join(", ")}), which upserts and deletes match on — add one: ${target.uniqueIndexHint(config)}`,
    );
  }
  if (plan.unknownColumns.length > 0) {
    throw new TableWriteError(
      "fatal",
      `table ${table} has no column ${quoteList(plan.unknownColumns)} — add ${plan.unknownColumns.length > 1 ? "them" : "it"} to the table (ALTER TABLE … ADD COLUMN …) or change the sync's mapping`,
    );
  }
  const written = new Set(plan.rows.flatMap((r) => (r.kind === "write" ? r.columns : [])));
  const generated = [...written].filter((c) => info.columns.get(c)?.generated);
  if (generated.length > 0) {
    throw new TableWriteError(
      "fatal",
      `column ${quoteList(generated)} of ${table} is computed by the database and cannot be written — remove it from the mapping`,
    );
  }
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

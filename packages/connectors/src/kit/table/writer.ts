// Writing one batch of planned rows in ONE transaction, with bad rows isolated: rows go in multi-row
// statements sized under the driver's limits, each behind a savepoint; when a statement fails for a data
// reason (constraint violation, invalid input, value too long…) the savepoint is rolled back and its rows are
// written one by one, each behind its own savepoint, so every bad row is rejected with the database's own
// message and the good rows are still written. Any other failure leaves the transaction (nothing written)
// and is thrown as a TableWriteError for the caller to retry or report. Shared by postgres-table and mysql-table.
import type { RecordResult } from "../delivery";
import { keyString, type PlannedRow } from "./records";

export interface Statement {
  text: string;
  values: unknown[];
  /** The statement as recorded for the run's debugger: the SQL shortened and an excerpt of the values. */
  display: string;
}

export interface StatementResult {
  /** Rows the statement touched (MySQL: matched rows, as the connection asks for CLIENT_FOUND_ROWS). */
  rowCount: number;
  rows: Record<string, unknown>[];
}

export type ErrorKind = "data" | "transient" | "fatal";

/** A failure sorted for the writer: data (the rows are at fault), transient (retry later) or fatal (fix the config). */
export interface ClassifiedError {
  kind: ErrorKind;
  message: string;
}

/** A transient or fatal failure that ended the batch's transaction. */
export class TableWriteError extends Error {
  override name = "TableWriteError";
  constructor(
    readonly kind: Exclude<ErrorKind, "data">,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface TableSession {
  run(statement: Statement): Promise<StatementResult>;
}

/** A database's statements for one target table. */
export interface TableDialect {
  /** Most bound parameters in one statement. */
  maxParams: number;
  /** Largest total size of a statement's values, in bytes. */
  maxBytes: number;
  /** Most rows in one statement of each kind. */
  maxRows: { write: number; update: number; delete: number };
  begin: string[];
  commit: string;
  rollback: string;
  savepoint(name: string): string;
  rollbackTo(name: string): string;
  release(name: string): string;
  /** INSERT … (upsert: update on key conflict; insert: leave the existing row as is). */
  write(rows: PlannedRow[], action: "upsert" | "insert"): Statement;
  /** UPDATE … WHERE key. */
  update(rows: PlannedRow[]): Statement;
  /** Which rows an update statement matched, in row order. */
  matched(result: StatementResult, rows: PlannedRow[]): boolean[];
  remove(rows: PlannedRow[]): Statement;
  classify(error: unknown): ClassifiedError;
}

export type WriteMode = "upsert" | "insert" | "update" | "mirror";

type Kind = "write" | "update" | "delete";

/** Runs `fn` for one statement, recording it (statement, outcome, latency) for the run's debugger. */
export type StatementRecorder = (statement: Statement, outcome: { rowCount?: number; error?: string }, ms: number) => void;

/**
 * Writes the rows in one transaction and returns a result per row index. Data errors reject rows; transient
 * and fatal errors roll the transaction back and throw TableWriteError.
 */
export async function writeRows(
  session: TableSession,
  dialect: TableDialect,
  rows: readonly PlannedRow[],
  mode: WriteMode,
  record: StatementRecorder,
): Promise<Map<number, RecordResult>> {
  const results = new Map<number, RecordResult>();
  const exec = async (statement: Statement): Promise<StatementResult> => {
    const started = performance.now();
    try {
      const result = await session.run(statement);
      record(statement, { rowCount: result.rowCount }, performance.now() - started);
      return result;
    } catch (error) {
      record(statement, { error: dialect.classify(error).message }, performance.now() - started);
      throw error;
    }
  };
  const plain = (text: string) => exec({ text, values: [], display: text });
  let savepoints = 0;

  /** Runs `statement` behind a savepoint; a data error rolls back to it and is returned, anything else throws. */
  const guarded = async (statement: Statement): Promise<StatementResult | ClassifiedError> => {
    const name = `sluice_${++savepoints}`;
    await plain(dialect.savepoint(name));
    try {
      const result = await exec(statement);
      await plain(dialect.release(name));
      return result;
    } catch (error) {
      const failure = dialect.classify(error);
      if (failure.kind !== "data") throw new TableWriteError(failure.kind, failure.message, { cause: error });
      await plain(dialect.rollbackTo(name));
      return failure;
    }
  };

  const settle = (kind: Kind, chunk: PlannedRow[], result: StatementResult) => {
    const matched = kind === "update" ? dialect.matched(result, chunk) : chunk.map(() => true);
    chunk.forEach((row, i) => {
      results.set(
        row.index,
        matched[i]
          ? { status: "ok" }
          : { status: "rejected", reason: "no row with this key in the table; update mode changes existing rows only" },
      );
    });
  };

  const statementFor = (kind: Kind, chunk: PlannedRow[]): Statement => {
    if (kind === "delete") return dialect.remove(chunk);
    if (kind === "update") return dialect.update(chunk);
    return dialect.write(chunk, mode === "insert" ? "insert" : "upsert");
  };

  const runChunk = async (kind: Kind, chunk: PlannedRow[]) => {
    const outcome = await guarded(statementFor(kind, chunk));
    if (!("kind" in outcome)) return settle(kind, chunk, outcome);
    if (chunk.length === 1) {
      results.set((chunk[0] as PlannedRow).index, { status: "rejected", reason: outcome.message });
      return;
    }
    // Isolate the bad row(s): one statement per row, each behind its own savepoint.
    for (const row of chunk) {
      const single = await guarded(statementFor(kind, [row]));
      if ("kind" in single) results.set(row.index, { status: "rejected", reason: single.message });
      else settle(kind, [row], single);
    }
  };

  try {
    for (const text of dialect.begin) await plain(text);
    for (const segment of segments(rows)) {
      for (const [kind, group] of groups(segment, mode)) {
        for (const chunk of chunks(group, kind, dialect)) await runChunk(kind, chunk);
      }
    }
    await plain(dialect.commit);
    return results;
  } catch (error) {
    await session.run({ text: dialect.rollback, values: [], display: dialect.rollback }).catch(() => {});
    if (error instanceof TableWriteError) throw error;
    const failure = dialect.classify(error);
    // A data error outside a guarded statement (BEGIN, SAVEPOINT, COMMIT) cannot be pinned on a row: retry later.
    throw new TableWriteError(failure.kind === "fatal" ? "fatal" : "transient", failure.message, { cause: error });
  }
}

/**
 * Consecutive runs of rows with distinct keys. Statements of one run may be reordered and merged freely; a key
 * seen again (two records for one row in a batch) starts a new run so the later record is applied last.
 */
function segments(rows: readonly PlannedRow[]): PlannedRow[][] {
  const out: PlannedRow[][] = [];
  let current: PlannedRow[] = [];
  let keys = new Set<string>();
  for (const row of rows) {
    const key = keyString(row.key);
    if (keys.has(key)) {
      out.push(current);
      current = [];
      keys = new Set();
    }
    keys.add(key);
    current.push(row);
  }
  if (current.length) out.push(current);
  return out;
}

/** Rows of one segment grouped by statement kind and by the columns they write (one statement shape each). */
function groups(segment: readonly PlannedRow[], mode: WriteMode): [Kind, PlannedRow[]][] {
  const byShape = new Map<string, [Kind, PlannedRow[]]>();
  for (const row of segment) {
    // Deletes only exist in mirror mode; any other mode leaves removed rows alone (the engine sends none).
    const kind: Kind = row.kind === "delete" ? "delete" : mode === "update" ? "update" : "write";
    const shape = `${kind}\0${row.columns.join("\0")}`;
    const group = byShape.get(shape);
    if (group) group[1].push(row);
    else byShape.set(shape, [kind, [row]]);
  }
  return [...byShape.values()];
}

/** Splits a group into statements under the dialect's row, parameter and byte limits. */
function chunks(group: readonly PlannedRow[], kind: Kind, dialect: TableDialect): PlannedRow[][] {
  const out: PlannedRow[][] = [];
  const perRow = Math.max(1, (group[0]?.columns.length ?? 1) + (kind === "update" ? 1 : 0));
  const maxRows = Math.max(1, Math.min(dialect.maxRows[kind], Math.floor(dialect.maxParams / perRow)));
  let current: PlannedRow[] = [];
  let bytes = 0;
  for (const row of group) {
    if (current.length > 0 && (current.length >= maxRows || bytes + row.bytes > dialect.maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row.bytes;
  }
  if (current.length) out.push(current);
  return out;
}

/** An excerpt of a statement's values for the debugger: the first rows, cut at `chars`. */
export function valuesExcerpt(rows: readonly PlannedRow[], chars = 600): string {
  const text = JSON.stringify(rows.slice(0, 3).map((r) => r.values));
  const more = rows.length > 3 ? ` … and ${rows.length - 3} more rows` : "";
  return (text.length > chars ? `${text.slice(0, chars)}…` : text) + more;
}

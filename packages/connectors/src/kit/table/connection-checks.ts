// The "Test connection" steps and wording every table destination shares (postgres-table, mysql-table): the
// host check, what a missing table or key column means, and how a failed step is explained. The database
// specific steps (connect, privileges, unique keys) stay in each destination's test-connection.ts.
import { CheckFailure } from "../spec";
import { checkHost } from "./guarded-socket";
import type { TableInfo } from "./types";
import { TableWriteError } from "./writer";

/** The first step: the host is allowed (not private unless the operator says so) and resolves. */
export function checkHostStep(host: string, allowPrivate: boolean): { name: string; run: () => Promise<string> } {
  return {
    name: "Check the host",
    run: async () => {
      const check = await checkHost(host, allowPrivate);
      if (!check.ok) throw new CheckFailure(check.message);
      return check.message;
    },
  };
}

/** Fails the check when the table is absent and Sluice may not create it. */
export function requireTableOrCreate(label: string, config: { createTable: boolean; keyColumns: string[] }): void {
  if (config.createTable) return;
  throw new CheckFailure(
    `Table ${label} does not exist. Create it (with a primary key on ${config.keyColumns.join(", ")}), or turn on "createTable".`,
  );
}

/** Fails the check naming the key columns the table does not have. */
export function requireKeyColumns(label: string, info: TableInfo, keyColumns: string[]): void {
  const absent = keyColumns.filter((k) => !info.columns.has(k));
  if (absent.length > 0) {
    throw new CheckFailure(`${label} has no column ${absent.map((k) => `"${k}"`).join(", ")}. Fix the key columns.`);
  }
}

/** Explains a failed step: our own messages as written, the database's through its classifier, capitalized. */
export function explainCheckError(classify: (error: unknown) => { message: string }): (error: unknown) => string {
  return (error) => {
    if (error instanceof CheckFailure || error instanceof TableWriteError) return error.message;
    const text = classify(error).message;
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
}

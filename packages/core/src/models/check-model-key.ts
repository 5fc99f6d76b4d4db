// Checking a model's primary key before saving it: the warehouse counts rows, null keys and duplicated keys
// in one pass, and the answer says in plain words how many rows a run would reject (DESIGN.md: null and
// duplicate keys are quarantined — every row sharing a duplicated key is left out, not just the extras).
import type { PrimaryKeyCheck } from "@sluice/connectors/kit/warehouse";
import { ModelQuerySchema, PrimaryKeySchema } from "@sluice/contracts/sync-config";
import { z } from "zod";
import type { WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { authorizeWarehouseQuery, withSourceWarehouse } from "./browse-warehouse";
import { type JsonRow, jsonRow } from "./preview-model";

export const CheckModelKeyInput = z.object({
  sourceId: z.string().min(1),
  query: ModelQuerySchema,
  primaryKey: PrimaryKeySchema,
});
export type CheckModelKeyInput = z.input<typeof CheckModelKeyInput>;

export interface ModelKeyCheck extends Omit<PrimaryKeyCheck, "examples"> {
  /** Up to five duplicated key values, column → value. */
  examples: JsonRow[];
  /** Rows a run would reject: those with a null key plus every row sharing a duplicated key. */
  rejectedRows: number;
  ok: boolean;
  message: string;
}

export async function checkModelKey(ctx: WorkspaceContext, input: CheckModelKeyInput): Promise<ModelKeyCheck> {
  authorizeWarehouseQuery(ctx);
  const { sourceId, query, primaryKey } = parseInput(CheckModelKeyInput, input);
  const check = await withSourceWarehouse(ctx, sourceId, (session) => session.checkPrimaryKey(query, primaryKey));
  return explainKeyCheck({ ...check, examples: check.examples.map(jsonRow) }, primaryKey);
}

const EXAMPLES_SHOWN = 3;

/** The check with its verdict and a sentence: "3 key values are shared by 7 rows, e.g. id=1; 1 row has a null id — …". */
export function explainKeyCheck(
  check: Omit<ModelKeyCheck, "ok" | "message" | "rejectedRows">,
  primaryKey: string[],
): ModelKeyCheck {
  const rejectedRows = check.nullKeys + check.duplicateRows;
  const ok = rejectedRows === 0;
  const key = primaryKey.length === 1 ? (primaryKey[0] as string) : `key (${primaryKey.join(", ")})`;
  let message: string;
  if (check.rows === 0) message = "The model returned no rows, so there is nothing to check yet.";
  else if (ok && check.rows === 1) message = `The model's one row has a non-null ${key}.`;
  else if (ok) message = `All ${count(check.rows, "row")} have a unique, non-null ${key}.`;
  else {
    const parts: string[] = [];
    if (check.duplicateKeys > 0) {
      const shared =
        check.duplicateKeys === 1
          ? `1 key value is shared by ${count(check.duplicateRows, "row")}`
          : `${number(check.duplicateKeys)} key values are shared by ${count(check.duplicateRows, "row")}`;
      const examples = check.examples.slice(0, EXAMPLES_SHOWN).map((e) => showKey(e, primaryKey));
      parts.push(examples.length > 0 ? `${shared}, e.g. ${examples.join(", ")}` : shared);
    }
    if (check.nullKeys > 0) {
      const has = check.nullKeys === 1 ? "1 row has" : `${number(check.nullKeys)} rows have`;
      parts.push(primaryKey.length === 1 ? `${has} a null ${key}` : `${has} a null in ${primaryKey.join(" or ")}`);
    }
    message = `${parts.join("; ")} — these rows would be rejected (${number(rejectedRows)} of ${count(check.rows, "row")}).`;
  }
  return { ...check, rejectedRows, ok, message };
}

function number(n: number): string {
  return n.toLocaleString("en-US");
}

function count(n: number, noun: string): string {
  return `${number(n)} ${noun}${n === 1 ? "" : "s"}`;
}

function showKey(example: JsonRow, primaryKey: string[]): string {
  const pairs = primaryKey.map((k) => `${k}=${showValue(example[k] ?? null)}`);
  return pairs.length === 1 ? (pairs[0] as string) : `(${pairs.join(", ")})`;
}

function showValue(value: unknown): string {
  if (typeof value === "string" && /^[\w.@+:-]+$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}

// Step 4's warehouse side: the diff read page by page with keyset pagination on the pk tuple
// (`(k1, k2) > ($1::t1, $2::t2) order by k1, k2 limit n`, served by the diff's primary key index), and
// delivery outcomes written back onto the diff rows. Key values travel through JSON between calls (the
// run's checkpoint), so parameters are cast to the pk columns' own types: bigint and numeric arrive as strings.
import {
  type DiffOp,
  type DiffRow,
  MAX_DIFF_PAGE,
  OUTCOME_STATUSES,
  type OutcomeStatus,
  type RunTables,
  WarehouseError,
} from "../../kit/warehouse";
import { HASH, ident, list, OP, PREV_HASH, qualified, requireColumns, type Sql, STATUS, valueColumns } from "./sql";
import { exactTimestampKey, isoTimestampTypes } from "./value-parsers";

// The diff table's columns are fixed once diff() has built it, so their types are read once per session
// instead of on every page read and outcome write (two catalog round trips per batch, see `npm run bench`).
// diff(), commit() and cleanup() forget them whenever they rebuild or drop the table.
const diffTypes = new WeakMap<Sql, Map<string, Promise<string[]>>>();

export function forgetDiffColumnTypes(sql: Sql): void {
  diffTypes.delete(sql);
}

function diffColumnTypes(sql: Sql, t: RunTables, names: string[]): Promise<string[]> {
  let cache = diffTypes.get(sql);
  if (!cache) {
    cache = new Map();
    diffTypes.set(sql, cache);
  }
  const key = JSON.stringify([t.schema, t.diff, names]);
  let types = cache.get(key);
  if (!types) {
    types = requireColumns(sql, t, t.diff, names);
    cache.set(key, types);
    const forget = cache;
    types.catch(() => forget.delete(key)); // a failed look-up (table not built yet) is not remembered
  }
  return types;
}

export async function readDiffPage(
  sql: Sql,
  o: {
    tables: RunTables;
    primaryKey: string[];
    columns: string[];
    after: unknown[] | null;
    limit: number;
    timestamps?: "date" | "iso";
  },
): Promise<DiffRow[]> {
  const { tables: t, primaryKey: pk } = o;
  const values = valueColumns(pk, o.columns);
  const pkTypes = (await diffColumnTypes(sql, t, [...pk, ...values])).slice(0, pk.length);
  const limit = Math.max(1, Math.min(MAX_DIFF_PAGE, Math.floor(o.limit)));
  const params: unknown[] = [limit];
  let where = "";
  if (o.after !== null) {
    if (o.after.length !== pk.length)
      throw new WarehouseError(
        "warehouse",
        `the page cursor has ${o.after.length} values but the primary key has ${pk.length} columns`,
      );
    const placeholders = pkTypes.map((type, i) => `$${i + 2}::${type}`);
    params.push(...o.after.map(toParam));
    where = `where (${list(pk)}) > (${placeholders.join(", ")})`;
  }
  // A timestamp key's value as JavaScript reads it is cut to milliseconds, which would put the cursor before
  // rows it already returned (re-sending them, or never getting past one millisecond's rows) and mark the
  // wrong rows' outcomes. Such keys travel as their exact text instead (ISO 8601 where the shape allows).
  const exact = pkTypes.map((type) => type.startsWith("timestamp"));
  const exactColumns = pk.flatMap((c, i) => (exact[i] ? [`${ident(c)}::text as ${ident(`__sluice_exact_${i}`)}`] : []));
  const { rows } = await sql.queryArrays(
    `select ${ident(OP)}, ${ident(HASH)}, ${ident(PREV_HASH)}, ${list([...pk, ...values])}${exactColumns.map((c) => `, ${c}`).join("")}
     from ${qualified(t, t.diff)} ${where}
     order by ${list(pk)} limit $1`,
    params,
    o.timestamps === "iso" ? isoTimestampTypes : undefined,
  );
  const width = pk.length;
  const exactAt = 3 + width + values.length;
  return rows.map((r) => {
    // Plain loops: this runs for every changed row of a sync.
    const key: Record<string, unknown> = {};
    // The row carries the primary key too, so a mapping can always read it. A removed row's values are its
    // last committed ones (see diff-sql.ts).
    const row: Record<string, unknown> = {};
    let e = exactAt;
    for (let i = 0; i < width; i++) {
      const column = pk[i] as string;
      const value = r[3 + i];
      if (exact[i]) {
        const text = r[e++];
        key[column] = text === null ? null : exactTimestampKey(String(text));
      } else key[column] = value;
      row[column] = value;
    }
    for (let i = 0; i < values.length; i++) row[values[i] as string] = r[3 + width + i];
    return { op: r[0] as DiffOp, key, row, hash: String(r[1]), prevHash: (r[2] as string | null) ?? null };
  });
}

/** JSON-roundtripped values as query parameters: objects (json keys) as JSON text, the rest as pg sends them. */
function toParam(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !Array.isArray(v)) return JSON.stringify(v);
  return v;
}

export async function markOutcomes(
  sql: Sql,
  o: { tables: RunTables; primaryKey: string[]; outcomes: { key: Record<string, unknown>; status: OutcomeStatus }[] },
): Promise<void> {
  const { tables: t, primaryKey: pk } = o;
  if (o.outcomes.length === 0) return;
  for (const outcome of o.outcomes) {
    if (!OUTCOME_STATUSES.includes(outcome.status)) throw new Error(`unknown outcome status: ${String(outcome.status)}`);
    for (const c of pk)
      if (!(c in outcome.key))
        throw new Error(`an outcome's key lacks primary key column "${c}": ${JSON.stringify(outcome.key)}`);
  }
  const pkTypes = await diffColumnTypes(sql, t, pk);
  // One JSON array of [k1, k2, …, status] per outcome; each element extracted as text and cast to the pk type.
  const payload = JSON.stringify(o.outcomes.map((x) => [...pk.map((c) => jsonValue(x.key[c])), x.status]));
  const extracted = pkTypes.map((type, i) => `(e ->> ${i})::${type} as k${i}`).join(", ");
  await sql.query(
    `update ${qualified(t, t.diff)} d set ${ident(STATUS)} = o.status
     from (select ${extracted}, e ->> ${pk.length} as status from json_array_elements($1::json) e) o
     where ${pk.map((c, i) => `d.${ident(c)} = o.k${i}`).join(" and ")}`,
    [payload],
  );
}

/** A key value as JSON: nested objects/arrays become their JSON text so `->>` hands the cast valid input. */
function jsonValue(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !(v instanceof Date)) return JSON.stringify(v);
  if (typeof v === "bigint") return v.toString();
  return v;
}

// Step 3 of a run: the snapshot against the last committed snapshot, by primary key (full outer join), kept
// as a table ordered and keyed by pk so delivery reads it with keyset pagination.
//   added   — in the snapshot, not committed
//   changed — in both with a different hash (fullResync: in both, whatever the hash)
// A first run (nothing committed) sends every snapshot row as added: its diff is then a view over the snapshot,
// which gets the two bookkeeping columns (added without rewriting the table), instead of a copy of it.
//   removed — committed, not in the snapshot, and not quarantined (a duplicated key must not delete downstream);
//             a removed row carries its last committed mapped values (where the committed snapshot has the
//             column with the same type), so a destination can find the record by a mapped identifier
import { DIFF_OPS, type DiffInput, type RunTables, WarehouseError } from "../../kit/warehouse";
import { forgetDiffColumnTypes } from "./keyset";
import {
  columnTypes,
  dropRelations,
  HASH,
  ident,
  keyMatch,
  list,
  OP,
  PREV_HASH,
  pickColumns,
  preferParallelScans,
  qualified,
  type Sql,
  STATUS,
  tableExists,
  valueColumns,
  withTransaction,
} from "./sql";

export interface DiffCounts {
  added: number;
  changed: number;
  removed: number;
}

/**
 * The committed snapshot can be diffed against only if it is keyed the same way (same pk columns and types);
 * otherwise (primary key changed) it is ignored and every row is new.
 */
export async function usableCommitted(sql: Sql, t: RunTables, primaryKey: string[], snapshotTypes: string[]): Promise<boolean> {
  const types = await columnTypes(sql, t.schema, t.committed);
  if (types.size === 0 || !types.has(HASH)) return false;
  if (!primaryKey.every((c, i) => types.get(c) === snapshotTypes[i])) return false;
  // Keyed by exactly these columns (a former mapped column that became the key may hold duplicates there).
  const { rows } = await sql.query<{ name: string }>(
    `select a.attname as name
     from pg_catalog.pg_index i
     join pg_catalog.pg_class c on c.oid = i.indrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     cross join lateral unnest(i.indkey) with ordinality as k(attnum, pos)
     join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
     where n.nspname = $1 and c.relname = $2 and i.indisprimary
     order by k.pos`,
    [t.schema, t.committed],
  );
  return rows.length === primaryKey.length && rows.every((r, i) => r.name === primaryKey[i]);
}

export async function createDiff(sql: Sql, o: DiffInput): Promise<DiffCounts> {
  const { tables: t, primaryKey: pk } = o;
  const ops = [...new Set(o.ops)];
  for (const op of ops) if (!DIFF_OPS.includes(op)) throw new Error(`unknown diff op: ${String(op)}`);
  const values = valueColumns(pk, o.columns);
  if (!(await tableExists(sql, t.schema, t.snapshot)))
    throw new WarehouseError(
      "warehouse",
      `the run's snapshot "${t.schema}"."${t.snapshot}" does not exist: take it before the diff`,
    );
  const snapshotColumns = await columnTypes(sql, t.schema, t.snapshot);
  const snapshotTypes = pickColumns(snapshotColumns, t, t.snapshot, [...pk, ...values, HASH]);
  const pkTypes = snapshotTypes.slice(0, pk.length);
  const hasCommitted = await usableCommitted(sql, t, pk, pkTypes);
  const committedTypes = hasCommitted ? await columnTypes(sql, t.schema, t.committed) : new Map<string, string>();
  const hasQuarantine = await tableExists(sql, t.schema, t.quarantine);

  const snap = qualified(t, t.snapshot);
  const comm = qualified(t, t.committed);
  const diff = qualified(t, t.diff);
  const s = (c: string) => `s.${ident(c)}`;
  const c = (col: string) => `c.${ident(col)}`;
  const first = pk[0] as string; // checkNames guarantees a primary key; pk columns are never null in either table

  let select: string;
  if (!hasCommitted) {
    select = `select 'added'::text as ${ident(OP)}, ${list(pk, "s")}, ${s(HASH)}, null::text as ${ident(PREV_HASH)},
                     ${values.map((v) => `${s(v)}, `).join("")}'pending'::text as ${ident(STATUS)}
              from ${snap} s where ${ops.includes("added") ? "true" : "false"}`;
  } else {
    const wanted: string[] = [];
    if (ops.includes("added")) wanted.push(`${c(first)} is null`);
    if (ops.includes("changed"))
      wanted.push(
        `(${s(first)} is not null and ${c(first)} is not null` +
          (o.fullResync ? ")" : ` and ${s(HASH)} is distinct from ${c(HASH)})`),
      );
    if (ops.includes("removed")) {
      const quarantined = hasQuarantine
        ? ` and not exists (select 1 from ${qualified(t, t.quarantine)} q where ${keyMatch(pk, "q", "c")})`
        : "";
      wanted.push(`(${s(first)} is null${quarantined})`);
    }
    select = `select case when ${c(first)} is null then 'added' when ${s(first)} is null then 'removed' else 'changed' end
                       as ${ident(OP)},
                     ${pk.map((k) => `coalesce(${s(k)}, ${c(k)}) as ${ident(k)}`).join(", ")},
                     case when ${s(first)} is null then md5('removed:' || coalesce(${c(HASH)}, '')) else ${s(HASH)} end
                       as ${ident(HASH)},
                     ${c(HASH)} as ${ident(PREV_HASH)},
                     ${values
                       .map((v, i) =>
                         committedTypes.get(v) === snapshotTypes[pk.length + i]
                           ? `case when ${s(first)} is null then ${c(v)} else ${s(v)} end as ${ident(v)}, `
                           : `${s(v)}, `,
                       )
                       .join("")}'pending'::text as ${ident(STATUS)}
              from ${snap} s full join ${comm} c on ${keyMatch(pk, "s", "c")}
              where ${wanted.length > 0 ? wanted.join(" or ") : "false"}`;
  }

  if (!hasCommitted && ops.includes("added")) {
    return withTransaction(sql, async () => {
      forgetDiffColumnTypes(sql);
      await dropRelations(sql, t.schema, [t.diff]);
      // Constant defaults: PostgreSQL 11+ adds these columns without rewriting the snapshot. Only a repeated
      // diff step (after a crash) finds them there already, possibly with outcomes to reset.
      const repeated = snapshotColumns.has(STATUS);
      await sql.query(
        `alter table ${snap} add column if not exists ${ident(STATUS)} text not null default 'pending',
                             add column if not exists ${ident(PREV_HASH)} text`,
      );
      if (repeated) await sql.query(`update ${snap} set ${ident(STATUS)} = 'pending' where ${ident(STATUS)} <> 'pending'`);
      await sql.query(
        `create view ${diff} as
         select 'added'::text as ${ident(OP)}, ${list(pk)}, ${ident(HASH)}, ${ident(PREV_HASH)},
                ${values.map((v) => `${ident(v)}, `).join("")}${ident(STATUS)}
         from ${snap}`,
      );
      const { rows } = await sql.query<{ n: string }>(`select count(*) as n from ${snap}`);
      return { added: Number(rows[0]?.n ?? 0), changed: 0, removed: 0 };
    });
  }

  return withTransaction(sql, async () => {
    forgetDiffColumnTypes(sql);
    await dropRelations(sql, t.schema, [t.diff]);
    await preferParallelScans(sql);
    await sql.query(`create table ${diff} as ${select} order by ${list(pk)}`);
    await sql.query(`alter table ${diff} add primary key (${list(pk)})`);
    const { rows } = await sql.query<{ op: string; n: string }>(
      `select ${ident(OP)} as op, count(*) as n from ${diff} group by 1`,
    );
    const counts: DiffCounts = { added: 0, changed: 0, removed: 0 };
    for (const r of rows) counts[r.op as keyof DiffCounts] = Number(r.n);
    return counts;
  });
}

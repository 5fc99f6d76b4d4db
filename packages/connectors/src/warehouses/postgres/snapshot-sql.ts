// Step 2 of a run: the model materialized in the Sluice schema as (pk, mapped columns, __sluice_hash), with
// null and duplicate primary keys moved aside to the quarantine table. One scan of the model, all in SQL.
//
// The hash is md5 over the row constructor's text of pk + mapped columns, sorted by name: NULL-safe (NULL
// prints as nothing, '' as ""), independent of column order, and type-stable because the session pins every
// setting that changes text output (TimeZone, DateStyle, IntervalStyle, extra_float_digits, bytea_output).
import { type ColumnInfo, type QuarantinedRow, type SnapshotInput, WarehouseError } from "../../kit/warehouse";
import { describeModel } from "./catalog";
import {
  checkNames,
  ensureSchema,
  HASH,
  ident,
  list,
  literal,
  modelSubquery,
  preferParallelScans,
  qualified,
  REASON,
  ROWS,
  type Sql,
  valueColumns,
  withTransaction,
} from "./sql";

export const QUARANTINE_SAMPLE = 1_000;

export interface SnapshotResult {
  rows: number;
  quarantined: QuarantinedRow[];
  quarantinedCount: number;
}

/** The hash expression over `alias`'s columns; the same columns must always give the same text. */
export function hashExpression(primaryKey: string[], columns: string[], alias: string): string {
  const all = [...new Set([...primaryKey, ...columns])].sort();
  return `md5(row(${list(all, alias)})::text)`;
}

/** Refuses a model that lacks a primary key or mapped column, naming it and the model's actual columns. */
export function checkModelColumns(model: ColumnInfo[], primaryKey: string[], columns: string[]): void {
  const counts = new Map<string, number>();
  for (const c of model) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const actual = model.map((c) => c.name).join(", ") || "(none)";
  for (const [role, names] of [
    ["primary key column", primaryKey],
    ["mapped column", columns],
  ] as const) {
    for (const name of names) {
      const n = counts.get(name) ?? 0;
      if (n === 0)
        throw new WarehouseError("model-columns", `${role} "${name}" is not in the model's result; its columns are: ${actual}`);
      if (n > 1)
        throw new WarehouseError(
          "model-columns",
          `${role} "${name}" appears ${n} times in the model's result; give the columns distinct names (AS …)`,
        );
    }
  }
}

export async function createSnapshot(
  sql: Sql,
  o: SnapshotInput,
  onModelError: (error: unknown) => unknown,
): Promise<SnapshotResult> {
  const { tables: t, primaryKey: pk } = o;
  checkNames(pk, o.columns);
  const values = valueColumns(pk, o.columns);
  const model = await describeModel(sql, o.query).catch((error) => {
    throw onModelError(error);
  });
  checkModelColumns(model, pk, o.columns);
  await ensureSchema(sql, t.schema);

  const snap = qualified(t, t.snapshot);
  const quar = qualified(t, t.quarantine);
  const keyCols = list(pk);

  const rows = await withTransaction(sql, async () => {
    // CASCADE: a first run's diff is a view over the snapshot it replaces (it is rebuilt by the diff step).
    await sql.query(`drop table if exists ${snap}, ${quar} cascade`);
    await preferParallelScans(sql);
    const created = await sql
      .query(
        `create table ${snap} as
         select ${list([...pk, ...values], "m")}, ${hashExpression(pk, o.columns, "m")} as ${ident(HASH)}
         from ${modelSubquery(o.query)}`,
      )
      .catch((error) => {
        throw onModelError(error);
      });
    // The common case (no null, no duplicate key) costs only the primary key's index build; the
    // quarantine queries run only when that build fails.
    await sql.query("savepoint sluice_pk");
    try {
      await sql.query(`alter table ${snap} add primary key (${keyCols})`);
      await sql.query(`create table ${quar} as select ${keyCols}, ''::text as ${ident(REASON)}, 0::bigint as ${ident(ROWS)}
                       from ${snap} limit 0`);
      await sql.query("release savepoint sluice_pk");
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "23505" && code !== "23502") throw error; // unique_violation, not_null_violation
      await sql.query("rollback to savepoint sluice_pk");
      await quarantine(sql, snap, quar, pk);
      await sql.query(`alter table ${snap} add primary key (${keyCols})`);
    }
    // Statistics for what later plans filter and join on (the key, the hash): the mapped columns' own
    // statistics would cost a detoasting pass over wide values (jsonb) that no plan uses.
    await sql.query(`analyze ${snap} (${list([...pk, HASH])})`);
    return created.rowCount ?? 0;
  });

  const sample = await sql.queryArrays(
    `select ${keyCols}, ${ident(REASON)} from ${quar} order by ${keyCols} limit ${QUARANTINE_SAMPLE}`,
  );
  const total = await sql.query<{ n: string; rows: string }>(
    `select count(*) as n, coalesce(sum(${ident(ROWS)}), 0) as rows from ${quar}`,
  );
  const quarantined = sample.rows.map((r) => ({
    key: Object.fromEntries(pk.map((c, i) => [c, r[i]])),
    reason: String(r[pk.length]),
  }));
  const quarantinedRows = Number(total.rows[0]?.rows ?? 0);
  return { rows: rows - quarantinedRows, quarantined, quarantinedCount: Number(total.rows[0]?.n ?? 0) };
}

/** Records null keys (one row per distinct key, with the null columns named) and duplicated keys, then drops them. */
async function quarantine(sql: Sql, snap: string, quar: string, pk: string[]) {
  const keyCols = list(pk);
  const anyNull = (alias: string) => pk.map((c) => `${alias}.${ident(c)} is null`).join(" or ");
  const noNull = pk.map((c) => `${ident(c)} is not null`).join(" and ");
  const nullNames = pk.map((c) => `case when ${ident(c)} is null then ${literal(c)} end`).join(", ");
  await sql.query(
    `create table ${quar} as
     select ${keyCols},
            'null primary key (' || concat_ws(', ', ${nullNames}) || ')'
              || case when count(*) > 1 then ', ' || count(*) || ' rows' else '' end as ${ident(REASON)},
            count(*) as ${ident(ROWS)}
     from ${snap} s where ${anyNull("s")} group by ${keyCols}
     union all
     select ${keyCols}, 'duplicate primary key (' || count(*) || ' rows)', count(*)
     from ${snap} where ${noNull} group by ${keyCols} having count(*) > 1`,
  );
  await sql.query(
    `delete from ${snap} s where ${anyNull("s")}
       or exists (select 1 from ${quar} q where ${pk.map((c) => `q.${ident(c)} = s.${ident(c)}`).join(" and ")})`,
  );
}

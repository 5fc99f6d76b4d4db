// Step 5 of a run: in ONE transaction the snapshot, corrected for what did not reach the destination,
// becomes the committed snapshot, and the run's transient tables are dropped. Commit runs only once every
// diff row was handled, so only failures are marked; an unmarked ('pending') row was delivered.
//   failed 'added'   → left out (added again next run)
//   failed 'changed' → previous hash (changed again next run; NULL when it equals the new hash, as after
//                      a full resync of an unchanged row, so the retry still happens)
//   failed 'removed' → previous committed row put back (removed again next run)
//   quarantined (duplicated) keys → previous committed row put back (nothing is deleted downstream)
//   delivered, rejected and unmarked rows → the new state (a rejected row is not retried until it changes)
// The snapshot is renamed, not copied. A repeated call finds no snapshot and only drops leftovers.
import { type RunTables, WarehouseError } from "../../kit/warehouse";
import { usableCommitted } from "./diff-sql";
import { forgetDiffColumnTypes } from "./keyset";
import {
  columnTypes,
  dropRelations,
  HASH,
  ident,
  isView,
  keyMatch,
  list,
  lockSync,
  OP,
  PREV_HASH,
  qualified,
  type Sql,
  STATUS,
  tableExists,
  withTransaction,
} from "./sql";

const NOT_DONE = `('failed')`;

export async function commitRun(sql: Sql, o: { tables: RunTables; primaryKey: string[]; columns: string[] }): Promise<void> {
  forgetDiffColumnTypes(sql);
  const { tables: t, primaryKey: pk } = o;
  const snap = qualified(t, t.snapshot);
  const comm = qualified(t, t.committed);
  const diff = qualified(t, t.diff);
  const quar = qualified(t, t.quarantine);
  await withTransaction(sql, async () => {
    await lockSync(sql, t);
    if (!(await tableExists(sql, t.schema, t.snapshot))) {
      // Already committed (or never snapshotted): nothing to promote.
      await dropRelations(sql, t.schema, [t.diff, t.quarantine]);
      return;
    }
    if (!(await tableExists(sql, t.schema, t.diff)))
      throw new WarehouseError("warehouse", `the run's diff "${t.schema}"."${t.diff}" does not exist: nothing can be committed`);
    const snapTypes = await columnTypes(sql, t.schema, t.snapshot);
    const pkTypes = pk.map((c) => snapTypes.get(c) ?? "");
    const notDone = (op: string) => `d.${ident(OP)} = '${op}' and d.${ident(STATUS)} in ${NOT_DONE}`;

    await sql.query(`delete from ${snap} s using ${diff} d where ${keyMatch(pk, "s", "d")} and ${notDone("added")}`);

    if (await usableCommitted(sql, t, pk, pkTypes)) {
      await sql.query(
        `update ${snap} s
         set ${ident(HASH)} = case when d.${ident(PREV_HASH)} is distinct from d.${ident(HASH)} then d.${ident(PREV_HASH)} end
         from ${diff} d where ${keyMatch(pk, "s", "d")} and ${notDone("changed")}`,
      );
      // Columns the committed row can give back: the snapshot's, where committed has them with the same type.
      const committedTypes = await columnTypes(sql, t.schema, t.committed);
      const shared = [...snapTypes.keys()].filter((c) => committedTypes.get(c) === snapTypes.get(c));
      await sql.query(
        `insert into ${snap} (${list(shared)})
         select ${list(shared, "c")} from ${comm} c join ${diff} d on ${keyMatch(pk, "c", "d")}
         where ${notDone("removed")}
         on conflict do nothing`,
      );
      if (await tableExists(sql, t.schema, t.quarantine)) {
        await sql.query(
          `insert into ${snap} (${list(shared)})
           select ${list(shared, "c")} from ${comm} c
           where exists (select 1 from ${quar} q where ${keyMatch(pk, "q", "c")})
           on conflict do nothing`,
        );
      }
    }
    await sql.query(`drop table if exists ${comm}`);
    if (await isView(sql, t.schema, t.diff)) {
      // A first run's diff is a view over the snapshot: the snapshot loses its bookkeeping columns.
      await sql.query(`drop view ${diff}`);
      await sql.query(`alter table ${snap} drop column if exists ${ident(STATUS)}, drop column if exists ${ident(PREV_HASH)}`);
    }
    await sql.query(`alter table ${snap} rename to ${ident(t.committed)}`);
    await dropRelations(sql, t.schema, [t.diff, t.quarantine]);
  });
}

export async function cleanupRun(sql: Sql, o: { tables: RunTables }): Promise<void> {
  forgetDiffColumnTypes(sql);
  const { tables: t } = o;
  if (!(await tableExists(sql, t.schema, t.snapshot)) && !(await tableExists(sql, t.schema, t.diff))) {
    if (!(await tableExists(sql, t.schema, t.quarantine))) return;
  }
  await withTransaction(sql, async () => {
    await lockSync(sql, t);
    await dropRelations(sql, t.schema, [t.diff, t.snapshot, t.quarantine]);
  });
}

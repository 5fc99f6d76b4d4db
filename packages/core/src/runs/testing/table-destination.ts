// Test-only: the model the table destinations' end-to-end tests (postgres-table, mysql-table) sync, and the
// sync that writes it into a destination table. Each test keeps its own database checks.
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import type { WorkspaceContext } from "../../context";
import { createDestinationSync, type Warehouse } from "./fixtures";

const MAPPINGS: MappingSpec = [
  { from: "id", to: "id" },
  { from: "email", to: "email" },
  { from: "plan", to: "plan" },
  { from: "score", to: "score", cast: "number" },
];

/**
 * A customers table in the warehouse: five keyed rows, one of them without an email (the destination's NOT
 * NULL rejects it), and one row without a key (the engine quarantines it). `note` is not mapped.
 */
export async function customersModelTable(warehouse: Warehouse): Promise<string> {
  const name = `customers_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${name} (id int, email text, plan text, score text, note text)`);
  await warehouse.sql(
    `insert into public.${name} values
      (1, 'a@x.io', 'free', '10', 'n1'), (2, 'b@x.io', 'pro', '20', 'n2'), (3, 'c@x.io', 'free', '30', 'n3'),
      (4, 'd@x.io', 'pro', '40', 'n4'), (5, null, 'free', '50', 'no email yet'), (null, 'nokey@x.io', 'free', '0', 'n')`,
  );
  return name;
}

/** A sync of the customers model `model` into a table destination's "rows", id, email, plan and score mapped. */
export async function tableDestinationSync(
  ctx: WorkspaceContext,
  warehouse: Warehouse,
  o: { model: string; mode: SyncMode; destination: { type: string; name: string; config: Record<string, unknown> } },
): Promise<string> {
  const { syncId } = await createDestinationSync(ctx, {
    warehouseUrl: warehouse.url,
    query: `select id, email, plan, score, note from public.${o.model}`,
    primaryKey: ["id"],
    destination: o.destination,
    object: "rows",
    mode: o.mode,
    mappings: MAPPINGS,
  });
  return syncId;
}

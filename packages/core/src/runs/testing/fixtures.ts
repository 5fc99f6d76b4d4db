// Test-only: a warehouse table, a source, a destination (a webhook, or any type), a model and a sync, built
// for real in the test databases, and helpers to run a sync end to end.
import type { RetryPolicy } from "@sluice/connectors/kit/retry";
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { RunView } from "@sluice/contracts/run-view";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { createScratchDatabase, uniqueName } from "@sluice/db/testing";
import pg from "pg";
import type { Services, WorkspaceContext } from "../../context";
import { createDestination } from "../../destinations/create-destination";
import { createSource } from "../../sources/create-source";
import { type ExecuteRunOptions, executeRun } from "../execute-run";
import { getRun } from "../get-run";
import { triggerRun } from "../trigger-run";

export const FAST_RETRY: RetryPolicy = { attempts: 2, baseMs: 1, capMs: 5 };

export const DEFAULT_MAPPINGS: MappingSpec = [
  { from: "email", to: "email" },
  { from: "plan", to: "traits.plan" },
  { from: "score", to: "traits.score", cast: "number" },
];

export class Warehouse {
  private constructor(
    readonly url: string,
    readonly client: pg.Client,
  ) {}

  static async create(label: string): Promise<Warehouse> {
    const url = await createScratchDatabase(label);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new Warehouse(url, client);
  }

  async sql(text: string, params: unknown[] = []): Promise<pg.QueryResult> {
    return this.client.query(text, params);
  }

  /** Tables Sluice left in its schema (committed snapshots and any transient tables). */
  async sluiceTables(schema = "sluice"): Promise<string[]> {
    const r = await this.sql("select table_name from information_schema.tables where table_schema = $1 order by 1", [schema]);
    return r.rows.map((row) => row.table_name as string);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

export interface SyncSetup {
  syncId: string;
  modelId: string;
  sourceId: string;
  destinationId: string;
}

/** A warehouse source, a destination of any type, a model over `query` and a manual sync, built for real. */
export async function createDestinationSync(
  ctx: WorkspaceContext,
  o: {
    warehouseUrl: string;
    query: string;
    primaryKey: string[];
    /** `name` prefixes the destination's unique name (default: its type). */
    destination: { type: string; config: Record<string, unknown>; name?: string };
    object?: string;
    mode: SyncMode;
    mappings: MappingSpec;
  },
): Promise<SyncSetup> {
  const source = await createSource(ctx, {
    name: uniqueName("wh"),
    type: "postgres",
    config: { connectionString: o.warehouseUrl, sslMode: "disable" },
  });
  const destination = await createDestination(ctx, {
    name: uniqueName(o.destination.name ?? o.destination.type),
    type: o.destination.type,
    config: o.destination.config,
  });
  const model = await ctx.db.model.create({
    data: {
      workspaceId: ctx.workspaceId,
      sourceId: source.id,
      name: uniqueName("model"),
      query: o.query,
      primaryKey: o.primaryKey,
    },
  });
  const sync = await ctx.db.sync.create({
    data: {
      workspaceId: ctx.workspaceId,
      name: uniqueName("sync"),
      modelId: model.id,
      destinationId: destination.id,
      object: o.object,
      mode: o.mode,
      mappings: o.mappings,
      schedule: { type: "manual" },
    },
  });
  return { syncId: sync.id, modelId: model.id, sourceId: source.id, destinationId: destination.id };
}

/** createDestinationSync with a webhook destination posting to `sinkUrl`. */
export async function createSyncFixture(
  ctx: WorkspaceContext,
  o: {
    warehouseUrl: string;
    sinkUrl: string;
    query: string;
    primaryKey: string[];
    mode: SyncMode;
    mappings?: MappingSpec;
    batchSize?: number;
    /**
     * The webhook's concurrency = engine batches in flight (default 1: one at a time, so tests can pause, cancel
     * or kill a worker between two known batches).
     */
    concurrency?: number;
  },
): Promise<SyncSetup> {
  return createDestinationSync(ctx, {
    warehouseUrl: o.warehouseUrl,
    query: o.query,
    primaryKey: o.primaryKey,
    destination: {
      type: "webhook",
      name: "hook",
      config: { url: o.sinkUrl, batchSize: o.batchSize ?? 500, concurrency: o.concurrency ?? 1 },
    },
    mode: o.mode,
    mappings: o.mappings ?? DEFAULT_MAPPINGS,
  });
}

/** Triggers a run and executes it to the end in this process. */
export async function runSync(
  ctx: WorkspaceContext,
  syncId: string,
  o: { fullResync?: boolean; execute?: Partial<ExecuteRunOptions> } = {},
): Promise<RunView> {
  const { run } = await triggerRun(ctx, { syncId, trigger: "manual", fullResync: o.fullResync });
  await execute(ctx, run.id, o.execute);
  return getRun(ctx, { runId: run.id });
}

export async function execute(s: Services, runId: string, o: Partial<ExecuteRunOptions> = {}): Promise<void> {
  await executeRun(s, { runId, workerId: "test", deliveryRetry: FAST_RETRY, ...o });
}

/** "op:key" strings, sorted: the set of records a sink received, comparable with toEqual. */
export function opsByKey(records: { op: string; key: Record<string, unknown> }[]): string[] {
  return records.map((r) => `${r.op}:${Object.values(r.key).join("/")}`).sort();
}

// The control plane the engine runs against: a migrated scratch database with the queue schema, one
// workspace acted on by Sluice itself, and — per measured table — a Postgres source, a webhook
// destination at the sink, a model and an upsert sync mapping the five non-key columns.
import type { RunView } from "@sluice/contracts/run-view";
import { systemContext, type WorkspaceContext } from "@sluice/core/context";
import { createDestination } from "@sluice/core/destinations/create-destination";
import { createModel } from "@sluice/core/models/create-model";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { getRun } from "@sluice/core/runs/get-run";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { createSource } from "@sluice/core/sources/create-source";
import { createSync } from "@sluice/core/syncs/create-sync";
import { applyMigrations, createDb, createKeyring, generateEncryptionKey } from "@sluice/db";
import pino from "pino";
import { BATCH_RECORDS, WAREHOUSE_SCHEMA } from "./config";

export interface ControlPlane {
  ctx: WorkspaceContext;
  databaseUrl: string;
  encryptionKey: string;
  close(): Promise<void>;
}

export async function openControlPlane(databaseUrl: string): Promise<ControlPlane> {
  await applyMigrations(databaseUrl);
  await ensureQueue(databaseUrl);
  const encryptionKey = generateEncryptionKey();
  const db = createDb(databaseUrl, { maxConnections: 2 });
  const services = {
    db,
    keyring: createKeyring(encryptionKey),
    log: pino({ level: "silent" }),
    allowPrivateDestinations: true, // the sink listens on loopback
  };
  const ws = await db.workspace.create({ data: { name: "Benchmark", slug: "bench" } });
  const ctx = systemContext(services, { workspaceId: ws.id, workspaceSlug: ws.slug, name: "bench" });
  return { ctx, databaseUrl, encryptionKey, close: () => db.$disconnect() };
}

export async function createBenchSync(
  ctx: WorkspaceContext,
  o: { name: string; warehouseUrl: string; table: string; sinkUrl: string },
): Promise<string> {
  const source = await createSource(ctx, {
    name: `${o.name} warehouse`,
    type: "postgres",
    config: { connectionString: o.warehouseUrl, sslMode: "disable" },
  });
  const destination = await createDestination(ctx, {
    name: `${o.name} sink`,
    type: "webhook",
    config: { url: o.sinkUrl, batchSize: BATCH_RECORDS },
  });
  const model = await createModel(ctx, {
    name: o.name,
    sourceId: source.id,
    query: `select id, email, plan, score, attrs, updated_at from ${WAREHOUSE_SCHEMA}.${o.table}`,
    primaryKey: ["id"],
  });
  const sync = await createSync(ctx, {
    name: o.name,
    modelId: model.id,
    destinationId: destination.id,
    mode: "upsert",
    mappings: [
      { from: "email", to: "email" },
      { from: "plan", to: "plan" },
      { from: "score", to: "score", cast: "number" },
      { from: "attrs", to: "attrs" },
      { from: "updated_at", to: "updated_at" },
    ],
  });
  return sync.id;
}

export async function triggerBenchRun(ctx: WorkspaceContext, syncId: string): Promise<string> {
  const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
  return run.id;
}

export function readRun(ctx: WorkspaceContext, runId: string): Promise<RunView> {
  return getRun(ctx, { runId });
}

/** Seconds spent in each status, from the run's persisted timeline. */
export function phaseDurations(run: RunView): { status: string; ms: number }[] {
  const phases: { status: string; ms: number }[] = [];
  for (let i = 0; i + 1 < run.timeline.length; i++) {
    const at = run.timeline[i];
    const next = run.timeline[i + 1];
    if (!at || !next) continue;
    phases.push({ status: at.to, ms: Date.parse(next.at) - Date.parse(at.at) });
  }
  return phases;
}

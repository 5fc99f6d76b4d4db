// One click to a working demo: seed the demo warehouse, then register it as a source, a local webhook
// inbox as a destination, and a customers model. Safe to call again (or twice at once): objects that
// already exist are reused, and a half-finished earlier attempt is completed rather than duplicated.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { createDestination } from "../destinations/create-destination";
import { updateDestination } from "../destinations/update-destination";
import { AppError, isAppError } from "../errors";
import { redactUrl } from "../log";
import { createSource } from "../sources/create-source";
import { createSync } from "../syncs/create-sync";
import { parseInput } from "../validate-input";
import { createDemoModel } from "./create-demo-model";
import { demoInboxUrl, isDemoInboxUrl } from "./demo-inbox";
import { DEMO_DESTINATION_NAME, DEMO_SOURCE_NAME, DEMO_SYNC_MAPPINGS, DEMO_SYNC_NAME, findDemoObjects } from "./demo-objects";
import { demoSourceConfig } from "./demo-source-config";
import { seedDemoWarehouse } from "./seed-demo-warehouse";

export const LoadDemoInput = z.object({
  warehouseUrl: z.string().min(1),
  publicUrl: z.url({ protocol: /^https?$/ }),
});

export interface LoadDemoResult {
  sourceId: string;
  destinationId: string;
  modelId: string;
  syncId: string;
  /** False when everything already existed and nothing was registered. */
  created: boolean;
}

/** A source or destination, as a row or as a view (whose secrets are masked: enough to reuse it). */
type Registered = { id: string; type: string; config: unknown };

// The inbox URL must contain the destination's own id, which exists only after creation.
const PENDING_ID = "pending";

export async function loadDemo(ctx: WorkspaceContext, input: z.input<typeof LoadDemoInput>): Promise<LoadDemoResult> {
  authorize(ctx, "demo.load");
  const { warehouseUrl, publicUrl } = parseInput(LoadDemoInput, input);
  const sourceConfig = demoSourceConfig(warehouseUrl);
  try {
    await seedDemoWarehouse(warehouseUrl);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("PRECONDITION_FAILED", `Could not seed the demo warehouse at ${redactUrl(warehouseUrl)}: ${reason}`);
  }

  let created = false;
  const existing = await findDemoObjects(ctx);

  let source: Registered | null = existing.source;
  if (source && source.type !== "postgres") throw nameTaken("source", DEMO_SOURCE_NAME);
  if (!source) {
    const { password, ...plain } = sourceConfig;
    // An empty password (trust or peer auth) is left out rather than sealed as "".
    const config = password ? { ...plain, password } : plain;
    const made = await adoptOnConflict<Registered>(
      () => createSource(ctx, { name: DEMO_SOURCE_NAME, type: "postgres", config }),
      async () => (await findDemoObjects(ctx)).source,
    );
    source = made.value;
    created ||= made.created;
  }

  let destination: Registered | null = existing.destination;
  if (!destination) {
    const made = await adoptOnConflict<Registered>(
      () =>
        createDestination(ctx, {
          name: DEMO_DESTINATION_NAME,
          type: "webhook",
          // The inbox route is public, so it accepts only batches signed with this destination's secret.
          config: { url: demoInboxUrl(publicUrl, PENDING_ID), signingSecret: randomBytes(32).toString("hex") },
        }),
      async () => (await findDemoObjects(ctx)).destination,
    );
    destination = made.value;
    created ||= made.created;
  }
  await pointAtInbox(ctx, destination, publicUrl);

  let model: { id: string } | null = existing.model;
  if (!model) {
    const made = await adoptOnConflict(
      () => createDemoModel(ctx, source.id),
      async () => (await findDemoObjects(ctx)).model,
    );
    model = made.value;
    created ||= made.created;
  }
  // A manual mirror sync, ready to run: the inbox then shows inserts, updates and deletes as the demo
  // warehouse changes.
  const modelId = model.id;
  const destinationId = destination.id;
  let sync: { id: string } | null = existing.sync;
  if (!sync) {
    const made = await adoptOnConflict<{ id: string }>(
      () =>
        createSync(ctx, {
          name: DEMO_SYNC_NAME,
          modelId,
          destinationId,
          mode: "mirror",
          mappings: DEMO_SYNC_MAPPINGS,
          schedule: "manual",
        }),
      async () => (await findDemoObjects(ctx)).sync,
    );
    sync = made.value;
    created ||= made.created;
  }
  ctx.log.info({ workspaceId: ctx.workspaceId, created }, "demo loaded");
  return { sourceId: source.id, destinationId: destination.id, modelId: model.id, syncId: sync.id, created };
}

/**
 * Sets the inbox URL to this destination's own id under the current public URL. Needed right after
 * creation, after an interrupted earlier load, and when the public URL changed since (another port).
 * A "Demo inbox" the user pointed somewhere else is theirs: refused rather than hijacked.
 */
async function pointAtInbox(ctx: WorkspaceContext, destination: Registered, publicUrl: string): Promise<void> {
  const config = (destination.config ?? {}) as Record<string, unknown>;
  const wanted = demoInboxUrl(publicUrl, destination.id);
  if (config.url === wanted) return;
  const ours =
    destination.type === "webhook" && (isDemoInboxUrl(config.url, destination.id) || isDemoInboxUrl(config.url, PENDING_ID));
  if (!ours) throw nameTaken("destination", DEMO_DESTINATION_NAME);
  // Secrets are left out of the new config, so the stored signing secret is kept.
  await updateDestination(ctx, { id: destination.id, config: { ...config, url: wanted } });
}

/** Runs `create`; if a concurrent load created the same name first, uses that object instead. */
async function adoptOnConflict<T extends { id: string }>(
  create: () => Promise<T>,
  find: () => Promise<T | null>,
): Promise<{ value: T; created: boolean }> {
  try {
    return { value: await create(), created: true };
  } catch (error) {
    if (!isAppError(error) || error.code !== "CONFLICT") throw error;
    const winner = await find();
    if (!winner) throw error;
    return { value: winner, created: false };
  }
}

function nameTaken(kind: string, name: string): AppError {
  return new AppError(
    "CONFLICT",
    `A ${kind} named "${name}" already exists and is not the demo's; rename it, then load the demo again.`,
  );
}

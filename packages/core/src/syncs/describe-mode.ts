// What each sync mode does, in a sentence about the object it writes, for the sync settings screen and the
// mapper's mode picker. The rules themselves live in the planner (MODE_OPS in runs/plan-run.ts).
import { findObject } from "@sluice/connectors/kit/contract";
import { getDestination } from "@sluice/connectors/registry";
import { describeSchedule, type SyncMode } from "@sluice/contracts/sync-config";
import type { WorkspaceContext } from "../context";
import { getSync } from "./list-syncs";
import type { SyncView } from "./sync-view";

export const MODE_LABELS: Record<SyncMode, string> = {
  upsert: "Upsert",
  update: "Update",
  insert: "Insert",
  mirror: "Mirror",
};

/** `objectLabel` names what is written ("Contacts"); default "records". */
export function describeMode(mode: SyncMode, objectLabel = "records"): string {
  const things = objectLabel.trim().toLowerCase() || "records";
  switch (mode) {
    case "upsert":
      return `Creates and updates ${things} for new and changed rows. Rows that disappear from the model leave their ${things} in place.`;
    case "update":
      return `Updates existing ${things} when their rows change. It never creates or deletes ${things}, so new rows are not sent.`;
    case "insert":
      return `Creates ${things} for new rows only. Changed rows and rows that disappear from the model are not sent.`;
    case "mirror":
      return `Creates and updates ${things} for new and changed rows, and deletes ${things} whose rows disappear from the model.`;
  }
}

export interface ModeDescription {
  mode: SyncMode;
  label: string;
  description: string;
}

export function describeModes(modes: readonly SyncMode[], objectLabel?: string): ModeDescription[] {
  return modes.map((mode) => ({ mode, label: MODE_LABELS[mode], description: describeMode(mode, objectLabel) }));
}

export interface SyncSettingsView extends SyncView {
  /** The destination object's label ("Contacts"), or "Records" when the destination does not name it. */
  objectLabel: string;
  modeDescription: string;
  /** "manual", "every 15m", "cron 0 * * * * (UTC)". */
  scheduleSummary: string;
}

/** A sync as its settings screen shows it: the stored settings, with the mode and schedule in words. */
export async function getSyncSettings(ctx: WorkspaceContext, input: { id: string }): Promise<SyncSettingsView> {
  const sync = await getSync(ctx, input);
  const destination = await ctx.db.destination.findFirst({
    where: { id: sync.destinationId, workspaceId: ctx.workspaceId },
    select: { type: true },
  });
  const connector = destination ? getDestination(destination.type) : undefined;
  const objectLabel = (connector && findObject(connector.contract, sync.object)?.label) ?? "Records";
  return {
    ...sync,
    objectLabel,
    modeDescription: describeMode(sync.mode, objectLabel),
    scheduleSummary: describeSchedule(sync.schedule),
  };
}

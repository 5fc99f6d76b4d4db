// Fixtures for the worker's tests: a sync in a fresh workspace, written straight into the test database
// (the scheduler and reaper only need the rows). Only tests import this file.
import type { Services } from "@sluice/core/context";
import { testServices, workspaceWithRole } from "@sluice/core/testing/fixtures";
import { uniqueName } from "@sluice/db/testing";

export { testServices };

export async function createTestSync(
  s: Services,
  o: { schedule: unknown; nextRunAt: Date | null; enabled?: boolean },
): Promise<{ syncId: string; workspaceId: string }> {
  const ctx = await workspaceWithRole(s);
  const source = await s.db.source.create({
    data: { workspaceId: ctx.workspaceId, name: uniqueName("src"), type: "postgres", config: { connectionString: "unused" } },
  });
  const destination = await s.db.destination.create({
    data: { workspaceId: ctx.workspaceId, name: uniqueName("dst"), type: "webhook", config: { url: "https://example.com/hook" } },
  });
  const model = await s.db.model.create({
    data: {
      workspaceId: ctx.workspaceId,
      sourceId: source.id,
      name: uniqueName("m"),
      query: "select 1 as id",
      primaryKey: ["id"],
    },
  });
  const sync = await s.db.sync.create({
    data: {
      workspaceId: ctx.workspaceId,
      name: uniqueName("sync"),
      modelId: model.id,
      destinationId: destination.id,
      mode: "upsert",
      mappings: [{ from: "id", to: "id" }],
      schedule: o.schedule as object,
      enabled: o.enabled ?? true,
      nextRunAt: o.nextRunAt,
    },
  });
  return { syncId: sync.id, workspaceId: ctx.workspaceId };
}

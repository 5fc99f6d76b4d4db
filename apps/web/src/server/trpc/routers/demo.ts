import { authorize } from "@sluice/core/context";
import { getDemoStatus } from "@sluice/core/demo/get-demo-status";
import { listDemoInbox } from "@sluice/core/demo/list-demo-inbox";
import { loadDemo } from "@sluice/core/demo/load-demo";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { env } from "@/env";
import { workspaceProcedure } from "../init";

export const demoRouter = {
  load: workspaceProcedure.mutation(({ ctx }) => {
    authorize(ctx.workspace, "demo.load");
    return loadDemo(ctx.workspace, {
      warehouseUrl: env.SLUICE_DEMO_DATABASE_URL ?? env.DATABASE_URL,
      publicUrl: env.SLUICE_PUBLIC_URL,
    });
  }),
  status: workspaceProcedure.query(({ ctx }) => getDemoStatus(ctx.workspace)),
  /** What the demo destination received, newest first; `destination: null` when the demo isn't loaded. */
  inbox: workspaceProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(100) }))
    .query(async ({ ctx, input }) => {
      const status = await getDemoStatus(ctx.workspace);
      if (!status.destinationId) return { destination: null, total: 0, items: [] };
      const inbox = await listDemoInbox(ctx.workspace, { destinationId: status.destinationId, limit: input.limit });
      return { destination: { id: status.destinationId }, total: inbox.total, items: inbox.items };
    }),
} satisfies TRPCRouterRecord;

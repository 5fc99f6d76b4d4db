import { createCallerFactory, createTRPCRouter } from "./init";
import { apiKeyRouter } from "./routers/api-key";
import { auditRouter } from "./routers/audit";
import { demoRouter } from "./routers/demo";
import { destinationRouter } from "./routers/destination";
import { mapperRouter } from "./routers/mapper";
import { memberRouter } from "./routers/member";
import { modelRouter } from "./routers/model";
import { runRouter } from "./routers/run";
import { sourceRouter } from "./routers/source";
import { syncRouter } from "./routers/sync";
import { workspaceRouter } from "./routers/workspace";

export const appRouter = createTRPCRouter({
  workspace: workspaceRouter,
  member: memberRouter,
  apiKey: apiKeyRouter,
  source: sourceRouter,
  destination: destinationRouter,
  model: modelRouter,
  mapper: mapperRouter,
  sync: syncRouter,
  run: runRouter,
  demo: demoRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

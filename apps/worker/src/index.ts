export { type WorkerEnv, workerEnvSchema } from "./env-schema";
export { createHealthServer, type HealthBody } from "./health-server";
export { createWorkerMetrics, type WorkerMetrics } from "./metrics";
export { type QueueRunner, startQueueRunner } from "./queue-runner";
export { reapExpiredLeases, startReaper } from "./reaper";
export { runSchedulerTick, type SchedulerTick, startScheduler } from "./scheduler";
export { type EngineOptions, type RunningWorker, type StartWorkerOptions, startWorker, type WorkerServices } from "./worker";

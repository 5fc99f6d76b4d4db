export { type WorkerEnv, workerEnvSchema } from "./env-schema";
export { createHealthServer, type HealthBody } from "./health-server";
export { type RunningWorker, startWorker, type WorkerServices } from "./worker";

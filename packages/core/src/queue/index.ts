export * from "./enqueue-run";
export * from "./ensure-queue";

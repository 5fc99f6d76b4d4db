// The run engine: trigger/pause/resume/cancel/read runs (control plane) and executeRun (worker).
export * from "./cancel-run";
export * from "./execute-run";
export * from "./get-run";
export * from "./lease";
export * from "./list-latest-runs";
export * from "./list-runs";
export * from "./observer";
export * from "./pause-run";
export * from "./plan-run";
export * from "./resume-run";
export * from "./run-errors";
export * from "./run-view";
export * from "./transitions";
export * from "./trigger-run";

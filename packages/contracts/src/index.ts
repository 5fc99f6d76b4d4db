// Every shared schema, for callers that prefer one import. Per-file paths (`@sluice/contracts/roles`) work too;
// webhook-signature.ts is left out because it needs node:crypto and this barrel must stay browser-safe.
export * from "./api-keys";
export * from "./audit";
export * from "./auth";
export * from "./connections";
export * from "./jobs";
export * from "./mapping";
export * from "./members";
export * from "./roles";
export * from "./run-view";
export * from "./webhook";
export * from "./workspaces";

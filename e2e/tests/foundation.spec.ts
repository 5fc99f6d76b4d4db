// Issue 2's path through the product: the first visit offers sign-up, invalid input saves nothing, then
// sign up → create a workspace → an empty dashboard → load the demo → sign out and back in.
import { expect, test } from "@playwright/test";
import { OWNER_STATE, ownerPage, shot, USER } from "./helpers";

test.describe.configure({ mode: "serial" });

test("the first visit offers to create the first account; invalid sign-up input shows field errors and saves nothing", async ({
  page,
  request,
  baseURL,
}) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("heading", { name: "Welcome to Sluice" })).toBeVisible();

  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByText("Enter your name")).toBeVisible();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "01-sign-up-field-errors");

  // The server checks the same schema, so a request that skips the form saves nothing either.
  const res = await request.post("/api/auth/sign-up/email", {
    data: { name: "", email: "still-not-an-email", password: "short" },
    headers: { origin: baseURL ?? "" },
  });
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(Object.keys(body.fieldErrors ?? {})).toEqual(expect.arrayContaining(["name", "email", "password"]));

  // Still no account: the first-visit page is still offered.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("heading", { name: "Welcome to Sluice" })).toBeVisible();
});

test("sign up → create workspace → empty dashboard → load demo → sign out → sign in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);
  await shot(page, "02-sign-up");
  await page.getByLabel("Your name").fill(USER.name);
  await page.getByLabel("Work email").fill(USER.email);
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByLabel("Workspace name").fill("Acme Data");
  await expect(page.getByLabel("URL")).toHaveValue("acme-data");
  await shot(page, "03-onboarding");
  await page.getByRole("button", { name: "Create workspace" }).click();

  await expect(page.getByRole("heading", { name: "Acme Data is ready" })).toBeVisible();
  await shot(page, "04-workspace-ready");
  await page.getByRole("button", { name: "Start with an empty workspace" }).click();

  // The empty dashboard.
  await expect(page).toHaveURL(/\/w\/acme-data$/);
  await expect(page.getByRole("heading", { name: "No syncs yet" })).toBeVisible();
  await expect(page.getByTestId("count-Sources")).toHaveText("0");
  await expect(page.getByTestId("count-Syncs")).toHaveText("0");
  await expect(page.getByRole("button", { name: "Load demo data" })).toBeVisible();
  await shot(page, "05-empty-dashboard");

  // One click loads the demo.
  await page.getByRole("button", { name: "Load demo data" }).click();
  await expect(page.getByTestId("count-Sources")).toHaveText("1", { timeout: 90_000 });
  await expect(page.getByTestId("count-Destinations")).toHaveText("1");
  // The demo comes with a ready-to-run sync, and the dashboard offers to run it.
  await expect(page.getByTestId("count-Syncs")).toHaveText("1");
  await expect(page.getByRole("heading", { name: "Run the demo sync" })).toBeVisible();
  await expect(page.getByTestId("recent-runs")).toContainText("Never run");
  await shot(page, "06-dashboard-with-demo");

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Sources" }).click();
  await expect(page.getByRole("heading", { name: "Demo warehouse" })).toBeVisible();
  await shot(page, "07-sources");

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Destinations" }).click();
  await expect(page.getByRole("heading", { name: "Demo inbox" })).toBeVisible();
  // The inbox's signing secret is encrypted at rest and only ever comes back masked.
  await expect(page.getByTestId("connection-card").first()).toContainText("signingSecret••••••••");
  await shot(page, "08-destinations");

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Demo inbox" }).click();
  await expect(page.getByRole("heading", { name: "Nothing received yet" })).toBeVisible();
  await shot(page, "09-demo-inbox-empty");

  // Run the demo sync from the Syncs page and watch it deliver every customer to the inbox.
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Syncs" }).click();
  const card = page.getByTestId("sync-card").filter({ hasText: "demo-customers" });
  await expect(card).toContainText("Demo customers → Demo inbox");
  await expect(card).toContainText("Adds, updates and deletes records so the destination mirrors the model");
  await expect(card).toContainText("Never run");
  await card.getByRole("button", { name: "Run now" }).click();
  await expect(card.getByTestId("latest-run")).toBeVisible();
  await shot(page, "09b-sync-running");
  await expect(card.getByTestId("run-status")).toHaveText("Succeeded", { timeout: 90_000 });
  await expect(card.getByTestId("run-count-delivered")).toHaveText("3,000");
  await expect(card.getByTestId("run-count-added")).toHaveText("3,000");
  await expect(card.getByRole("button", { name: "Run now" })).toBeEnabled();
  await shot(page, "09c-sync-succeeded");
  // A full resync asks first, because it sends every row again.
  await card.getByRole("button", { name: "Full resync" }).click();
  await expect(page.getByRole("dialog")).toContainText("sends every row of Demo customers to Demo inbox again");
  await shot(page, "09c-full-resync-confirm", { fullPage: false });
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Demo inbox" }).click();
  await expect(page.getByText("3,000 records received")).toBeVisible();
  await shot(page, "09d-demo-inbox-received", { fullPage: false });

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("recent-runs")).toContainText("Succeeded");
  await expect(page.getByTestId("recent-runs")).toContainText("3,000 delivered");
  await expect(page.getByRole("heading", { name: "Run the demo sync" })).toHaveCount(0);
  await shot(page, "09e-dashboard-recent-runs");

  // Sign out, then back in.
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/w/acme-data");
  await expect(page).toHaveURL(/\/sign-in$/);
  await shot(page, "10-signed-out");

  await page.getByLabel("Email").fill(USER.email);
  await page.getByLabel("Password").fill("wrong-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password don't match an account.")).toBeVisible();
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/w\/acme-data$/);
  await expect(page.getByTestId("workspace-name")).toHaveText("Acme Data");
  await shot(page, "11-signed-back-in");
  await page.context().storageState({ path: OWNER_STATE });
});

test("settings: API key shown once, members and audit log", async ({ browser }) => {
  const page = await ownerPage(browser);
  await page.goto("/");
  await expect(page).toHaveURL(/\/w\/acme-data$/);

  const nav = page.getByRole("navigation", { name: "Workspace" });
  await nav.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByLabel("Name").fill("CI pipeline");
  await page.getByLabel("Role").selectOption("editor");
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const key = page.getByTestId("api-key-plaintext");
  await expect(key).toHaveText(/^slk_/);
  await expect(page.getByText("You won't be able to see it again")).toBeVisible();
  await shot(page, "12-api-key-created");
  const plaintext = (await key.textContent()) ?? "";
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("cell", { name: "CI pipeline" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(plaintext);
  await shot(page, "13-api-keys");

  // The key works against the REST API.
  const res = await page.request.get("/api/v1/sources", { headers: { authorization: `Bearer ${plaintext}` } });
  expect(res.status()).toBe(200);
  const sources = (await res.json()).data as { name: string }[];
  expect(sources.map((s) => s.name)).toContain("Demo warehouse");

  await nav.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("cell", { name: new RegExp(USER.email) })).toBeVisible();
  await shot(page, "14-members");

  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByText("apiKey.create")).toBeVisible();
  await expect(page.getByText("workspace.create")).toBeVisible();
  await shot(page, "15-audit-log");
});

test("a viewer sees the workspace but none of the actions their role cannot take", async ({ browser }) => {
  // A second person signs up; with no workspace yet, they land on onboarding.
  const viewer = { name: "Vera Viewer", email: `vera.${Date.now().toString(36)}@example.com`, password: "viewer-password-1" };
  const other = await browser.newContext();
  const viewerPage = await other.newPage();
  await viewerPage.goto("/sign-up");
  await viewerPage.getByLabel("Your name").fill(viewer.name);
  await viewerPage.getByLabel("Work email").fill(viewer.email);
  await viewerPage.getByLabel("Password").fill(viewer.password);
  await viewerPage.getByRole("button", { name: "Create account" }).click();
  await expect(viewerPage).toHaveURL(/\/onboarding$/);

  // The owner adds them as a viewer.
  const page = await ownerPage(browser);
  await page.goto("/w/acme-data/settings/members");
  await page.getByRole("button", { name: "Add member" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill("nobody-here@example.com");
  await dialog.getByRole("button", { name: "Add member" }).click();
  await expect(dialog.getByText("No user with that email — ask them to sign up first")).toBeVisible();
  await dialog.getByLabel("Email").fill(viewer.email);
  await dialog.getByLabel("Role").selectOption("viewer");
  await dialog.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("cell", { name: new RegExp(viewer.email) })).toBeVisible();
  await shot(page, "16-members-with-viewer");

  // The viewer now lands in the workspace, without admin navigation or actions.
  await viewerPage.goto("/");
  await expect(viewerPage).toHaveURL(/\/w\/acme-data$/);
  const nav = viewerPage.getByRole("navigation", { name: "Workspace" });
  await expect(nav.getByRole("link", { name: "Members" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "API keys" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Members" }).click();
  await expect(viewerPage.getByRole("cell", { name: new RegExp(USER.email) })).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Remove" })).toHaveCount(0);
  // Viewers see syncs and their runs, but cannot start one.
  await nav.getByRole("link", { name: "Syncs" }).click();
  await expect(viewerPage.getByTestId("sync-card")).toContainText("Succeeded");
  await expect(viewerPage.getByRole("button", { name: "Run now" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Full resync" })).toHaveCount(0);
  await viewerPage.goto("/w/acme-data/settings/api-keys");
  await expect(viewerPage.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await shot(viewerPage, "17-viewer-api-keys");
  await other.close();
});

// Issue 5's run history, run detail and live debugger in real Chromium against `npm start`. The demo sync is
// pointed at a slow local webhook receiver (50 records a request, one request at a time, 600 ms each) so a
// 3,000-record run lasts long enough to watch (the test speeds the receiver up once it has seen enough): counts rise, a reload brings them back at once, the stream
// freezes, pause stops delivery, resume (through a few 429s: the throttling warning) finishes it. Then the
// history, the timeline, rejected records grouped by reason (a second sync whose mapping casts text to a
// number), a live view whose worker cannot be reached, and a viewer without controls.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { shot, signUpMember } from "./helpers";

test.describe.configure({ mode: "serial" });

const RUN = randomBytes(3).toString("hex");
const OWNER = { name: "Hedy Lamarr", email: `hedy.${RUN}@example.com`, password: "frequency-hopping-1" };
const WORKSPACE = { name: "Live Ops", slug: "live-ops" };
const STATE = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "test-results", `live-owner-${RUN}.json`);
const BASE = `/w/${WORKSPACE.slug}`;
const DEMO_ROWS = 3_000;

// ---------------------------------------------------------------------------------- a slow webhook receiver

/**
 * A receiver that follows the webhook contract (packages/contracts/src/webhook.ts): a JSON batch in, one
 * `ok` result per record out, after a delay. `rateLimitNext` answers that many requests with 429 and
 * Retry-After: 1 (RFC 9110 §10.2.3) first, as a rate-limited API does.
 */
const receiver = {
  server: undefined as http.Server | undefined,
  url: "",
  keys: new Set<string>(),
  requests: 0,
  rateLimited: 0,
  rateLimitNext: 0,
  /** Slow while the test interacts with the run; the test speeds it up to let the run finish. */
  delayMs: 600,
  /** Answer 401, as an endpoint whose credentials changed: the run fails and says to check them. */
  refuse: false,
};

test.beforeAll(async () => {
  receiver.server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.requests++;
      if (receiver.refuse) {
        res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid token"}');
        return;
      }
      if (receiver.rateLimitNext > 0) {
        receiver.rateLimitNext--;
        receiver.rateLimited++;
        res.writeHead(429, { "retry-after": "1", "content-type": "application/json" }).end('{"error":"slow down"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { records?: { key: unknown }[] };
      const records = body.records ?? [];
      setTimeout(() => {
        for (const r of records) receiver.keys.add(JSON.stringify(r.key));
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ results: records.map(() => ({ status: "ok" })) }));
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => receiver.server?.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (receiver.server ? receiver.server.close(() => resolve()) : resolve()));
});

// ------------------------------------------------------------------------------------------------- helpers

/** Calls a tRPC procedure as the signed-in user of `page` (same cookies), the way the app's client does. */
async function trpc<T>(page: Page, procedure: string, input: unknown, kind: "query" | "mutation" = "mutation"): Promise<T> {
  const url = `/api/trpc/${procedure}`;
  const response =
    kind === "query"
      ? await page.request.get(`${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await page.request.post(url, { data: { json: input } });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  if (!response.ok() || !body.result) throw new Error(`${procedure}: ${body.error?.json.message ?? response.status()}`);
  return body.result.data.json;
}

async function ownerPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: STATE });
  return context.newPage();
}

async function count(locator: Locator): Promise<number> {
  return Number(((await locator.textContent()) ?? "").replace(/[^\d]/g, "") || "0");
}

async function syncIdByName(page: Page, name: string): Promise<string> {
  const syncs = await trpc<{ id: string; name: string }[]>(page, "sync.list", { workspace: WORKSPACE.slug }, "query");
  const sync = syncs.find((s) => s.name === name);
  if (!sync) throw new Error(`no sync named ${name}`);
  return sync.id;
}

// ------------------------------------------------------------------------------------------------- the tests

test("the owner loads the demo and points its sync at a slow webhook", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Work email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByLabel("Workspace name").fill(WORKSPACE.name);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.getByRole("button", { name: "Start with an empty workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`${BASE}$`));
  await page.context().storageState({ path: STATE });

  // One click on the overview loads the demo (warehouse, inbox, 3,000-customer model and its sync).
  await page.getByRole("button", { name: "Load demo data" }).click();
  await expect(page.getByTestId("count-Syncs")).toHaveText("1", { timeout: 90_000 });

  const hook = await trpc<{ id: string }>(page, "destination.create", {
    workspace: WORKSPACE.slug,
    name: "Slow hook",
    type: "webhook",
    config: { url: receiver.url, batchSize: 50, concurrency: 1 },
  });
  const syncId = await syncIdByName(page, "demo-customers");
  await trpc(page, "sync.update", { workspace: WORKSPACE.slug, id: syncId, destinationId: hook.id });
});

test("live debugger: run, reload mid-run, pause, resume through throttling, freeze the stream, finish", async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await ownerPage(browser);
  await page.goto(`${BASE}/syncs`);
  const card = page.getByTestId("sync-card").filter({ hasText: "demo-customers" });
  await card.getByRole("link", { name: "Live view" }).click();
  await expect(page).toHaveURL(/\/syncs\/[^/]+\/live$/);
  await expect(page.getByRole("navigation", { name: "Sync" }).getByRole("link", { name: "Live" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByTestId("live-connection")).toHaveText("Live");
  await expect(page.getByRole("heading", { name: "This sync has not run yet" })).toBeVisible();
  await shot(page, "live-00-never-ran");

  // Start it: the counts go up.
  await page.getByRole("button", { name: "Run now" }).click();
  const status = page.getByTestId("live-status");
  const delivered = page.getByTestId("live-count-delivered");
  await expect(page.getByTestId("live-run")).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => count(delivered), { timeout: 30_000 }).toBeGreaterThan(0);
  const first = await count(delivered);
  await expect.poll(() => count(delivered), { timeout: 10_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("live-count-planned")).toHaveText("3,000");
  await expect(page.getByTestId("live-progress-text")).toContainText("of 3,000 delivered");
  await expect(page.getByTestId("live-rate")).toContainText("records/s");
  await expect(page.getByTestId("live-event").first()).toBeVisible();
  await shot(page, "live-01-running");

  // A reload mid-run: the snapshot brings the counts back at once.
  const beforeReload = await count(delivered);
  await page.reload();
  await expect.poll(() => count(delivered), { timeout: 4_000, intervals: [100] }).toBeGreaterThanOrEqual(beforeReload);
  await expect(status).toHaveAttribute("data-status", "delivering");
  await expect(page.getByTestId("live-count-planned")).toHaveText("3,000");
  await expect(page.getByTestId("live-event").first()).toBeVisible();

  // Pause: within seconds the run is paused and delivery stops.
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(status).toHaveAttribute("data-status", "paused", { timeout: 10_000 });
  await expect(page.getByRole("heading", { name: "Run paused" })).toBeVisible();
  const atPause = await count(delivered);
  expect(atPause).toBeLessThan(DEMO_ROWS);
  const requestsAtPause = receiver.requests;
  await page.waitForTimeout(3_000);
  expect(await count(delivered)).toBe(atPause);
  expect(receiver.requests).toBe(requestsAtPause);
  await expect(page.getByRole("button", { name: "Resume", exact: true })).toBeVisible();
  await shot(page, "live-03-paused");

  // Resume; the receiver starts rate-limiting, and the page says the destination is slowing us down.
  receiver.rateLimitNext = 3;
  await page.getByRole("button", { name: "Resume", exact: true }).click();
  await expect(status).toHaveAttribute("data-status", "delivering", { timeout: 15_000 });
  await expect(page.getByTestId("throttle-indicator")).toContainText("The destination is slowing us down", { timeout: 20_000 });
  await shot(page, "live-04-throttled");
  expect(receiver.rateLimited).toBe(3);
  await expect.poll(() => count(delivered), { timeout: 15_000 }).toBeGreaterThan(atPause);

  // Freeze the stream: the list holds still while counters keep moving and new events are held.
  await page.getByRole("button", { name: "Freeze" }).click();
  const held = page.getByTestId("held-events");
  await expect(held).toBeVisible();
  const frozenFirst = await page.getByTestId("live-event").first().textContent();
  const frozenDelivered = await count(delivered);
  await expect.poll(async () => count(held), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => count(delivered), { timeout: 10_000 }).toBeGreaterThan(frozenDelivered);
  expect(await page.getByTestId("live-event").first().textContent()).toBe(frozenFirst);
  // An event opens to what was sent and what the destination answered.
  await page.getByTestId("live-event").first().click();
  const details = page.getByTestId("live-events-list");
  await expect(details).toContainText("Payload sent");
  await expect(details).toContainText('"op": "insert"');
  await expect(details).toContainText('"httpStatus": 200');
  await shot(page, "live-02-frozen-stream");
  await page.getByRole("button", { name: "Resume stream" }).click();
  await expect(held).toHaveCount(0);
  await expect.poll(async () => page.getByTestId("live-event").first().textContent(), { timeout: 10_000 }).not.toBe(frozenFirst);

  // Filter the stream by outcome: every record of this run is delivered.
  await page
    .getByTestId("live-events")
    .getByRole("button", { name: /^Rejected/ })
    .click();
  await expect(page.getByTestId("live-events")).toContainText("No rejected records among the last");
  await page.getByTestId("live-events").getByRole("button", { name: /^All/ }).click();
  receiver.delayMs = 20;

  // It finishes with every record delivered.
  await expect(status).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(delivered).toHaveText("3,000");
  await expect(page.getByTestId("live-count-rejected")).toHaveText("0");
  await expect(page.getByRole("heading", { name: "No run under way" })).toBeVisible();
  await expect(page.getByTestId("last-run")).toContainText("3,000 of 3,000 handled: 3,000 delivered, 0 rejected, 0 failed.");
  await expect(page.getByRole("button", { name: "Run now" })).toBeVisible();
  expect(receiver.keys.size).toBe(DEMO_ROWS);
  await shot(page, "live-05-finished");
  await page.context().close();
});

test("history shows the run with its counts and chart; run detail shows the paused-and-resumed timeline", async ({ browser }) => {
  const page = await ownerPage(browser);
  const syncId = await syncIdByName(page, "demo-customers");
  await page.goto(`${BASE}/syncs/${syncId}/live`);
  await page.getByRole("navigation", { name: "Sync" }).getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);

  const row = page.getByTestId("run-row").first();
  await expect(row.getByTestId("run-status")).toHaveText("Succeeded");
  await expect(row.getByTestId("run-row-added")).toHaveText("3,000");
  await expect(row.getByTestId("run-row-delivered")).toHaveText("3,000");
  await expect(row.getByTestId("run-row-rejected")).toHaveText("0");
  await expect(row.getByTestId("run-row-failed")).toHaveText("0");
  await expect(row).toContainText("Manual");
  const chart = page.getByTestId("history-chart");
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(chart.locator(".recharts-line")).toHaveCount(1);
  await shot(page, "history-01-chart-and-runs");
  // The tooltip names the run's counts.
  await chart.locator(".recharts-bar-rectangle").first().hover();
  await expect(page.locator(".recharts-tooltip-wrapper")).toContainText("Delivered");
  await expect(page.locator(".recharts-tooltip-wrapper")).toContainText("3,000");
  await chart.getByRole("button", { name: "Changes" }).click();
  await expect(chart).toContainText("Added");
  await chart.getByRole("button", { name: "Outcomes" }).click();

  await row.getByRole("link").click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("run-header").getByTestId("run-status")).toHaveText("Succeeded");
  await expect(page.getByTestId("detail-count-delivered")).toHaveText("3,000");
  await expect(page.getByTestId("detail-count-planned")).toHaveText("3,000");
  const timeline = page.getByTestId("run-timeline");
  await expect(timeline.locator('[data-testid="timeline-segment"][data-status="paused"]')).toHaveCount(1);
  await expect(timeline.locator('[data-testid="timeline-segment"][data-status="delivering"]')).toHaveCount(2);
  const steps = timeline.getByTestId("timeline-step");
  await expect(steps.first()).toContainText("Queued");
  await expect(steps.last()).toContainText("Succeeded");
  await expect(steps.filter({ hasText: "Paused" })).toHaveCount(1);
  await expect(page.getByTestId("outcome-groups")).toContainText("Every record this run handled was delivered.");
  await shot(page, "run-detail-01-timeline");
  await page.context().close();
});

test("rejected records are grouped by reason in run detail, with examples paged; retry failed says what it did", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const page = await ownerPage(browser);
  const demo = await trpc<{ sourceId: string; destinationId: string }>(
    page,
    "demo.status",
    { workspace: WORKSPACE.slug },
    "query",
  );
  // A text score that is not always a number: every 50th customer "n/a", every other 75th "pending".
  const model = await trpc<{ id: string }>(page, "model.create", {
    workspace: WORKSPACE.slug,
    name: "Scored customers",
    sourceId: demo.sourceId,
    query: `select id, email,
      case when id % 50 = 0 then 'n/a' when id % 75 = 0 then 'pending' else lead_score::text end as score
      from demo.customers`,
    primaryKey: ["id"],
  });
  const sync = await trpc<{ id: string }>(page, "sync.create", {
    workspace: WORKSPACE.slug,
    name: "scored-customers",
    modelId: model.id,
    destinationId: demo.destinationId,
    mode: "upsert",
    mappings: [
      { from: "email", to: "email" },
      { from: "score", to: "traits.score", cast: "number" },
    ],
    schedule: "manual",
  });

  // Before the first run, the history says how to start one.
  await page.goto(`${BASE}/syncs/${sync.id}/runs`);
  await expect(page.getByRole("heading", { name: "No runs yet" })).toBeVisible();
  await expect(page.getByText("npx sluice sync run scored-customers")).toBeVisible();
  await shot(page, "history-00-empty");
  await page.getByRole("button", { name: "Run now" }).click();

  const row = page.getByTestId("run-row").first();
  await expect(row.getByTestId("run-status")).toHaveText("Succeeded", { timeout: 90_000 });
  await expect(row.getByTestId("run-row-delivered")).toHaveText("2,920");
  await expect(row.getByTestId("run-row-rejected")).toHaveText("80");

  // Retry failed now starts a run and says what it retries.
  await page.getByRole("button", { name: /Retry failed now/ }).click();
  await expect(page.getByTestId("retry-message")).toContainText("Started a run. The last run left no failed records");
  await shot(page, "history-02-retry-failed");
  await expect(page.getByTestId("run-row")).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId("run-row").first().getByTestId("run-status")).toHaveText("Succeeded", { timeout: 90_000 });
  await expect(page.getByTestId("run-row").first()).toContainText("Retry");

  // The first run's detail: two reasons, the larger first, with the row that was not sent.
  await page.getByTestId("run-row").nth(1).getByRole("link").click();
  await expect(page.getByTestId("detail-count-rejected")).toHaveText("80");
  const groups = page.getByTestId("outcome-group");
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0).getByTestId("outcome-reason")).toHaveText('column "score": "n/a" is not a number');
  await expect(groups.nth(0).getByTestId("outcome-count")).toContainText("60");
  await expect(groups.nth(1).getByTestId("outcome-reason")).toHaveText('column "score": "pending" is not a number');
  await expect(groups.nth(1).getByTestId("outcome-count")).toContainText("20");
  await expect(page.getByText("Rejected: the record itself was refused")).toBeVisible();
  await expect(page.getByText("80 records were rejected: fix the data or the mapping")).toBeVisible();
  const examples = groups.nth(0).getByTestId("outcome-example");
  await expect(examples).toHaveCount(20);
  await expect(examples.first().getByTestId("example-key")).toHaveText("id=50");
  await expect(examples.first()).toContainText("Model row (not sent)");
  await expect(examples.first()).toContainText('"score": "n/a"');
  await expect(examples.first()).toContainText("No answer: the record was not sent.");
  await shot(page, "run-detail-02-outcome-groups");

  // Paging within the group.
  await groups.nth(0).getByRole("button", { name: "Show more examples" }).click();
  await expect(examples).toHaveCount(40);
  await groups.nth(0).getByRole("button", { name: "Show more examples" }).click();
  await expect(examples).toHaveCount(60);
  await expect(groups.nth(0)).toContainText("60 of 60 shown");
  await expect(groups.nth(0).getByRole("button", { name: "Show more examples" })).toHaveCount(0);

  // The second group opens on demand; the status filter narrows the list.
  await groups.nth(1).getByRole("button", { expanded: false }).first().click();
  await expect(groups.nth(1).getByTestId("outcome-example")).toHaveCount(20);
  await page
    .getByTestId("outcome-groups")
    .getByRole("button", { name: /^Failed/ })
    .click();
  await expect(page.getByTestId("outcome-groups")).toContainText("No failed records in this run.");
  await page
    .getByTestId("outcome-groups")
    .getByRole("button", { name: /^Rejected/ })
    .click();
  await expect(groups).toHaveCount(2);
  await page.context().close();
});

test("a live view that cannot reach the worker says what to fix, and still shows the last run", async ({ browser }) => {
  const page = await ownerPage(browser);
  const syncId = await syncIdByName(page, "demo-customers");
  // As if SLUICE_WORKER_PUBLIC_URL pointed somewhere no worker listens: the token names a dead address.
  await page.route("**/api/trpc/sync.liveToken**", async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/"url":"[^"]+"/g, '"url":"http://127.0.0.1:9"');
    await route.fulfill({ response, body });
  });
  await page.goto(`${BASE}/syncs/${syncId}/live`);
  const problem = page.getByTestId("live-problem");
  await expect(problem).toContainText("Can't reach the worker's live endpoint", { timeout: 20_000 });
  await expect(problem).toContainText("SLUICE_WORKER_PUBLIC_URL");
  await expect(page.getByTestId("live-connection")).not.toHaveText("Live");
  // The latest run still shows, read from the database.
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("live-count-delivered")).toHaveText("3,000");
  await shot(page, "live-06-worker-unreachable");
  await page.context().close();
});

test("a viewer sees the history and the live view, but no control buttons", async ({ browser }) => {
  const viewer = { name: "Vic Viewer", email: `vic.${RUN}@example.com`, password: "viewer-password-42" };
  const page = await ownerPage(browser);
  const viewerPage = await signUpMember(browser, page, WORKSPACE.slug, viewer, "viewer");
  const syncId = await syncIdByName(page, "demo-customers");
  await page.context().close();

  await viewerPage.goto(`${BASE}/syncs/${syncId}/live`);
  await expect(viewerPage.getByTestId("live-connection")).toHaveText("Live");
  await expect(viewerPage.getByTestId("live-status")).toHaveAttribute("data-status", "succeeded");
  await expect(viewerPage.getByTestId("live-count-delivered")).toHaveText("3,000");
  await expect(viewerPage.getByTestId("last-run")).toContainText("Your role can watch runs");
  for (const name of ["Run now", "Pause", "Resume", "Cancel run"]) {
    await expect(viewerPage.getByRole("button", { name, exact: true })).toHaveCount(0);
  }
  await shot(viewerPage, "live-07-viewer");
  await viewerPage.getByRole("navigation", { name: "Sync" }).getByRole("link", { name: "Runs" }).click();
  await expect(viewerPage.getByTestId("run-row").first().getByTestId("run-status")).toHaveText("Succeeded");
  await expect(viewerPage.getByTestId("history-chart")).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: /Retry failed now/ })).toHaveCount(0);
  await viewerPage.getByTestId("run-row").first().getByRole("link").click();
  await expect(viewerPage.getByTestId("run-timeline")).toBeVisible();
  await viewerPage.context().close();
});

test("cancel asks first and stops the run; a run the destination refuses fails with what to check", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await ownerPage(browser);
  const syncId = await syncIdByName(page, "demo-customers");
  receiver.delayMs = 600;
  await trpc(page, "sync.run", { workspace: WORKSPACE.slug, syncId, fullResync: true });
  await page.goto(`${BASE}/syncs/${syncId}/live`);
  const status = page.getByTestId("live-status");
  await expect(status).toHaveAttribute("data-status", "delivering", { timeout: 30_000 });

  // Cancel asks first; keeping the run changes nothing.
  await page.getByRole("button", { name: "Cancel run" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("commits nothing");
  await shot(page, "live-08-cancel-confirm", { fullPage: false });
  await dialog.getByRole("button", { name: "Keep running" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(status).toHaveAttribute("data-status", "delivering");
  await page.getByRole("button", { name: "Cancel run" }).click();
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await expect(status).toHaveAttribute("data-status", "cancelled", { timeout: 15_000 });
  await expect(page.getByTestId("last-run")).toContainText("Nothing it delivered was committed");
  const delivered = await count(page.getByTestId("live-count-delivered"));
  expect(delivered).toBeLessThan(DEMO_ROWS);
  await shot(page, "live-09-cancelled");

  // The endpoint now refuses Sluice's credentials: the run fails, and its detail says what to check.
  receiver.refuse = true;
  receiver.delayMs = 20;
  try {
    // Every row again (a plain run would find nothing changed and send nothing).
    await trpc(page, "sync.run", { workspace: WORKSPACE.slug, syncId, fullResync: true });
    await expect(status).toHaveAttribute("data-status", "failed", { timeout: 60_000 });
    await page.getByTestId("last-run").getByRole("link", { name: "Run details" }).click();
    await expect(page.getByTestId("run-error")).toContainText("401");
    await expect(page.getByTestId("run-header")).toContainText("Fix what the error names");
    await shot(page, "run-detail-03-failed");
    await page.getByRole("navigation", { name: "Sync" }).getByRole("link", { name: "Runs" }).click();
    await expect(page.getByTestId("run-row").first().getByTestId("run-status")).toHaveText("Failed");
    await expect(page.getByTestId("run-row").nth(1).getByTestId("run-status")).toHaveText("Cancelled");
    await expect(page.getByTestId("run-row")).toHaveCount(3);
    await shot(page, "history-03-three-runs");
  } finally {
    receiver.refuse = false;
  }
  await page.context().close();
});

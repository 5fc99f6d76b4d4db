import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "@playwright/test";

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "test-results", "screens");

/** A screenshot kept in e2e/test-results/screens/<name>.png: the full page unless `fullPage: false` (long lists). */
export async function shot(page: Page, name: string, o: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: o.fullPage ?? true });
}

export const USER = {
  name: "Ada Lovelace",
  email: `ada.${Date.now().toString(36)}@example.com`,
  password: "correct-horse-battery",
};

/** The signed-in owner's cookies, saved once so later tests don't sign in again (sign-in is rate-limited). */
export const OWNER_STATE = path.join(SHOTS, "..", "owner-state.json");

export async function ownerPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: OWNER_STATE });
  return context.newPage();
}

import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, expect, type Page } from "@playwright/test";

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

/**
 * Signs a new person up in a fresh browser context, then has `admin` (a page of a workspace admin) add them
 * to the workspace with `role`. Returns the new member's page.
 */
export async function signUpMember(
  browser: Browser,
  admin: Page,
  workspaceSlug: string,
  person: { name: string; email: string; password: string },
  role: "viewer" | "editor" | "admin",
): Promise<Page> {
  const memberPage = await (await browser.newContext()).newPage();
  await memberPage.goto("/sign-up");
  await memberPage.getByLabel("Your name").fill(person.name);
  await memberPage.getByLabel("Work email").fill(person.email);
  await memberPage.getByLabel("Password").fill(person.password);
  await memberPage.getByRole("button", { name: "Create account" }).click();
  await expect(memberPage).toHaveURL(/\/onboarding$/);

  await admin.goto(`/w/${workspaceSlug}/settings/members`);
  await admin.getByRole("button", { name: "Add member" }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByLabel("Email").fill(person.email);
  await dialog.getByLabel("Role").selectOption(role);
  await dialog.getByRole("button", { name: "Add member" }).click();
  await expect(admin.getByRole("cell", { name: new RegExp(person.email) })).toBeVisible();
  return memberPage;
}

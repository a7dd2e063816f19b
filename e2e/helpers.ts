import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import { STATE_FILE, type E2eState } from "./e2e-env";

export const DEMO_STEPS = [
  'Fill "alice" in the Username field',
  'Fill "wonderland" in the Password field',
  "Click the Log in button",
  'Expect text "Welcome, alice"',
].join("\n");

export function readState(): E2eState {
  return JSON.parse(readFileSync(STATE_FILE, "utf8")) as E2eState;
}

export async function logIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tests$/);
}

/** Switches the team's demo site version through the dashboard strip and waits until it is saved. */
export async function switchDemoVersion(page: Page, version: 1 | 2): Promise<void> {
  await page.goto("/tests");
  const radio = page.getByRole("radio", { name: version === 1 ? "v1 (original)" : "v2 (redesign)" });
  if (!(await radio.isChecked())) await radio.check();
  await expect(radio).toBeChecked();
  await expect(page.getByRole("group", { name: "Demo site version" })).not.toHaveAttribute("aria-busy", "true");
  await expect.poll(async () => (await page.context().cookies()).find((c) => c.name === "pacts_demo_version")?.value).toBe(
    String(version),
  );
}

/** Clicks "Run now" for a test on /tests and waits on the run page until the run has finished. */
export async function runTestAndWait(page: Page, testName: string): Promise<{ firstStatus: string; finalStatus: string }> {
  await page.goto("/tests");
  await page.getByRole("button", { name: `Run ${testName} now` }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  const status = page.getByRole("status");
  await expect(status).toBeVisible();
  const firstStatus = (await status.textContent())?.trim() ?? "";
  await expect(status).toHaveText(/^(PASSED|FAILED|ERROR|CANCELLED|BLOCKED)$/, { timeout: 60_000 });
  const finalStatus = (await status.textContent())?.trim() ?? "";
  return { firstStatus, finalStatus };
}

/** The error shown on a failed run, for a readable assertion message. */
export async function runErrorText(page: Page): Promise<string> {
  const alerts = await page.getByRole("main").getByRole("alert").allTextContents();
  return `run page says: ${alerts.join(" | ") || "(no error shown)"}`;
}

/** The selector each step of the open run page was found with ("" for steps without an element). */
export async function stepSelectors(page: Page): Promise<string[]> {
  const steps = page.getByRole("article");
  const out: string[] = [];
  for (let i = 0; i < (await steps.count()); i++) {
    out.push((await steps.nth(i).getByRole("code").allTextContents()).join(" "));
  }
  return out;
}

/** Each heal event on the open run page: its outcome label and old → new selectors ("" when absent). */
export async function healEventSelectors(page: Page): Promise<{ outcome: string; oldSelector: string; newSelector: string }[]> {
  const items = page.getByRole("region", { name: "Heal events" }).locator("li.heal-event");
  const out: { outcome: string; oldSelector: string; newSelector: string }[] = [];
  for (let i = 0; i < (await items.count()); i++) {
    const li = items.nth(i);
    const text = async (id: string) => ((await li.getByTestId(id).count()) > 0 ? ((await li.getByTestId(id).textContent()) ?? "") : "");
    out.push({ outcome: (await li.getAttribute("data-outcome")) ?? "", oldSelector: await text("heal-old-selector"), newSelector: await text("heal-new-selector") });
  }
  return out;
}

/** Sets a test's "When a heal cannot be verified" policy on its page and waits until it is saved. */
export async function setHealPolicy(page: Page, testName: string, label: "Fail the step" | "Proceed and flag for review"): Promise<void> {
  await page.goto("/tests");
  await page.getByRole("link", { name: testName, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: testName })).toBeVisible();
  const select = page.getByLabel("When a heal cannot be verified", { exact: true });
  await expect(select).toBeVisible();
  if ((await select.locator("option:checked").textContent())?.trim() === label) return;
  await select.selectOption({ label });
  await page.getByRole("button", { name: "Save heal policy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
}

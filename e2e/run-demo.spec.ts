import { expect, test } from "@playwright/test";
import { ADMIN_A, BASE_URL } from "./e2e-env";
import { DEMO_STEPS, logIn, runErrorText, runTestAndWait, stepSelectors, switchDemoVersion } from "./helpers";

test("log in, create a test against the demo site, run it, see a screenshot per step", async ({ page }) => {
  await logIn(page, ADMIN_A);
  await switchDemoVersion(page, 1);

  const name = `Demo login e2e ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Start URL").fill(`${BASE_URL}/demo/login`);
  await page.getByLabel("Steps (one per line)").fill(DEMO_STEPS);
  await page.getByRole("button", { name: "Create test" }).click();
  await expect(page.getByRole("link", { name })).toBeVisible();

  const { firstStatus, finalStatus } = await runTestAndWait(page, name);
  // The run page opens right after "Run now", before the worker can have driven four steps.
  expect(["PENDING", "RUNNING"]).toContain(firstStatus);
  expect(finalStatus, await runErrorText(page)).toBe("PASSED");

  const steps = page.getByRole("article");
  await expect(steps).toHaveCount(4);
  for (const text of DEMO_STEPS.split("\n")) {
    await expect(page.getByRole("heading", { name: text })).toBeVisible();
  }
  const shots = page.getByRole("img", { name: /^Screenshot after step \d+$/ });
  await expect(shots).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    const shot = shots.nth(i);
    await shot.scrollIntoViewIfNeeded();
    await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  }
  // Every element step records how it was found.
  const selectors = await stepSelectors(page);
  expect(selectors).toHaveLength(4);
  for (const selector of selectors.slice(0, 3)) expect(selector.trim()).not.toBe("");

  // The run is in the history with its final state.
  await page.getByRole("link", { name: "Runs" }).click();
  await expect(page.getByRole("row").filter({ hasText: name }).first()).toContainText("PASSED");
});

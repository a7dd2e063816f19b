import { expect, test } from "@playwright/test";
import { ADMIN_A, BASE_URL } from "./e2e-env";
import { logIn } from "./helpers";

test("invalid steps are rejected with the line number before anything runs", async ({ page }) => {
  await logIn(page, ADMIN_A);
  const name = `Broken steps ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Start URL").fill(`${BASE_URL}/demo/login`);
  await page
    .getByLabel("Steps (one per line)")
    .fill(['Fill "alice" in the Username field', "Dance wildly around the page", "Click the Log in button"].join("\n"));
  await page.getByRole("button", { name: "Create test" }).click();

  // Scoped to the form: Next's route announcer is also a (silent) alert.
  const alert = page.getByRole("form", { name: "New test" }).getByRole("alert");
  await expect(alert).toContainText("Line 2");
  await expect(alert).not.toContainText("Line 1");
  await expect(alert).not.toContainText("Line 3");
  // Nothing was stored, so nothing can run.
  await page.reload();
  await expect(page.getByRole("heading", { name: "All tests" })).toBeVisible();
  await expect(page.getByRole("link", { name })).toHaveCount(0);
});

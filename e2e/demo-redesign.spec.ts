import { expect, test } from "@playwright/test";
import { ADMIN_A } from "./e2e-env";
import { logIn, runErrorText, runTestAndWait, stepSelectors, switchDemoVersion } from "./helpers";

const DEMO_TEST = "Demo login";

test("the demo test still passes on the v2 redesign and shows a different selector", async ({ page }) => {
  await logIn(page, ADMIN_A);
  try {
    await switchDemoVersion(page, 1);
    const v1 = await runTestAndWait(page, DEMO_TEST);
    expect(v1.finalStatus, await runErrorText(page)).toBe("PASSED");
    const v1Selectors = await stepSelectors(page);

    await switchDemoVersion(page, 2);
    // The switch also sets the cookie for the user's own browser: the demo page is now the redesign.
    await page.goto("/demo/login");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Docs" })).toBeVisible();
    await expect(page.getByText("Log in", { exact: true })).toBeVisible();

    const v2 = await runTestAndWait(page, DEMO_TEST);
    expect(v2.finalStatus, await runErrorText(page)).toBe("PASSED");
    const v2Selectors = await stepSelectors(page);

    expect(v1Selectors).toHaveLength(4);
    expect(v2Selectors).toHaveLength(4);
    expect(v2Selectors, `v1 selectors: ${JSON.stringify(v1Selectors)}`).not.toEqual(v1Selectors);
  } finally {
    await switchDemoVersion(page, 1);
  }
});

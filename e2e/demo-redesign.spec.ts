import { expect, test } from "@playwright/test";
import { ADMIN_A } from "./e2e-env";
import { healEventSelectors, logIn, runErrorText, runTestAndWait, setHealPolicy, stepSelectors, switchDemoVersion } from "./helpers";

const DEMO_TEST = "Demo login";

// The v2 redesign changes ids, classes, wrappers and order, recases the button ("Log In") and names it with an
// aria-label ("Continue to your account"): the exact selector the v1 run cached (role=button[name="Log in"])
// breaks, and the engine heals it under the default "Fail the step" policy because two independent families
// (visible text, stored fingerprint) agree. An
// unverifiable heal and the "Proceed and flag for review" policy are covered in
// src/server/runs/policy-blocked.int.test.ts.
test("the demo test heals on the v2 redesign: healed step, verified heal event, old → new selector", async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, ADMIN_A);
  try {
    await switchDemoVersion(page, 1);
    const v1 = await runTestAndWait(page, DEMO_TEST);
    expect(v1.finalStatus, await runErrorText(page)).toBe("PASSED");
    const v1Selectors = await stepSelectors(page);
    // The strict policy (the default, saved here through the test page's form): a heal that two independent
    // families cannot confirm would fail the step, so passing below means the heal was verified.
    await setHealPolicy(page, DEMO_TEST, "Fail the step");

    await switchDemoVersion(page, 2);
    // The switch also sets the cookie for the user's own browser: the demo page is now the redesign.
    await page.goto("/demo/login");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Docs" })).toBeVisible();
    // The button reads "Log In", but its accessible name is now its aria-label.
    await expect(page.getByRole("button", { name: "Continue to your account", exact: true })).toHaveText("Log In");

    const v2 = await runTestAndWait(page, DEMO_TEST);
    expect(v2.finalStatus, await runErrorText(page)).toBe("PASSED");
    const v2Selectors = await stepSelectors(page);

    expect(v1Selectors).toHaveLength(4);
    expect(v2Selectors).toHaveLength(4);
    expect(v2Selectors, `v1 selectors: ${JSON.stringify(v1Selectors)}`).not.toEqual(v1Selectors);

    const main = page.getByRole("main");
    const loginStep = main.getByRole("article").filter({ hasText: "Click the Log in button" });
    await expect(loginStep.getByTestId("healed-badge")).toBeVisible();
    const events = main.getByRole("region", { name: "Heal events" });
    await expect(events).toBeVisible();
    const heals = await healEventSelectors(page);
    const moved = heals.filter((h) => h.oldSelector && h.newSelector && h.oldSelector !== h.newSelector && h.outcome !== "failed");
    expect(moved.length, `heal events: ${JSON.stringify(heals)}`).toBeGreaterThan(0);
    expect(moved.some((h) => /Log in/.test(h.oldSelector) && h.outcome === "healed")).toBe(true);
    // The strategies each round tried are listed behind a disclosure, and the round's screenshot is shown.
    await events.getByText(/^Strategies tried/).first().click();
    await expect(events.getByRole("listitem").filter({ hasText: /matched, \d+ ms/ }).first()).toBeVisible();
    await expect(events.getByRole("img", { name: /Page during heal of step 3/ }).first()).toBeVisible();
  } finally {
    await switchDemoVersion(page, 1);
  }
});

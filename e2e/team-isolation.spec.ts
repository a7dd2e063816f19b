import { expect, test, type Page } from "@playwright/test";
import { ADMIN_A, USER_B } from "./e2e-env";
import { logIn, readState } from "./helpers";

async function expectHidden(page: Page, runId: string, screenshotId: string) {
  const runPage = await page.goto(`/runs/${runId}`);
  expect(runPage?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  const shot = await page.request.get(`/api/artifacts/${screenshotId}`);
  expect(shot.status()).toBe(404);
}

async function expectVisible(page: Page, runId: string, screenshotId: string) {
  const runPage = await page.goto(`/runs/${runId}`);
  expect(runPage?.status()).toBe(200);
  await expect(page.getByRole("status")).toHaveText("PASSED");
  const shot = await page.request.get(`/api/artifacts/${screenshotId}`);
  expect(shot.status()).toBe(200);
  expect(shot.headers()["content-type"]).toBe("image/png");
  expect(shot.headers()["cache-control"]).toContain("private");
}

test("a user of team B cannot open team A's run or screenshot", async ({ page }) => {
  const { teamA, teamB } = readState();
  await logIn(page, USER_B);
  await expectVisible(page, teamB.runId, teamB.screenshotId);
  await expectHidden(page, teamA.runId, teamA.screenshotId);
});

test("a user of team A cannot open team B's run or screenshot", async ({ page }) => {
  const { teamA, teamB } = readState();
  await logIn(page, ADMIN_A);
  await expectVisible(page, teamA.runId, teamA.screenshotId);
  await expectHidden(page, teamB.runId, teamB.screenshotId);
});

test("signed-out visitors get 404 for screenshots and 401 JSON from the API, never a login redirect", async ({ request }) => {
  const { teamA } = readState();
  const shot = await request.get(`/api/artifacts/${teamA.screenshotId}`, { maxRedirects: 0 });
  expect(shot.status()).toBe(404);
  const api = await request.get("/api/trpc/run.list", { maxRedirects: 0 });
  expect(api.status()).toBe(401);
  expect(api.headers()["content-type"]).toContain("application/json");
});

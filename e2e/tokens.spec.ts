import { expect, test } from "@playwright/test";
import { createDb } from "@/server/db";
import { createApiToken } from "@/server/tokens/api-token";
import { ADMIN_A, BASE_URL, DATABASE_URL } from "./e2e-env";
import { logIn, readState } from "./helpers";

const DEMO_TEST = "Demo login";

test("an API token from /settings/tokens runs a test over REST; other teams' tokens and revoked tokens are refused", async ({
  page,
  request,
}) => {
  await logIn(page, ADMIN_A);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();

  const name = `e2e CI ${Date.now()}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const tokenField = page.getByLabel("Your new API token");
  await expect(tokenField).toHaveValue(/^pacts_[A-Za-z0-9_-]{43}$/);
  const token = await tokenField.inputValue();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).toContainText("Active");
  // The list shows only the prefix, never the secret.
  await expect(page.getByRole("table")).not.toContainText(token);

  const auth = { Authorization: `Bearer ${token}` };
  const created = await request.post("/api/v1/runs", { headers: auth, data: { testName: DEMO_TEST }, maxRedirects: 0 });
  expect(created.status(), await created.text()).toBe(201);
  const run = (await created.json()) as { id: string; status: string; url: string; api: string };
  expect(run.status).toBe("PENDING");
  expect(run.url).toBe(`${BASE_URL}/runs/${run.id}`);
  expect(run.api).toBe(`${BASE_URL}/api/v1/runs/${run.id}`);

  // The e2e worker picks the run up; follow it through the API like `pacts trigger --wait` does.
  let final: { status: string; error: string | null; steps: Array<{ status: string; screenshot: string | null }> } | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get(run.api, { headers: auth, maxRedirects: 0 });
        expect(res.status()).toBe(200);
        final = (await res.json()) as typeof final;
        return final!.status;
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toMatch(/^(PASSED|FAILED|ERROR|BLOCKED|CANCELLED)$/);
  expect(final!.status, `run error: ${final!.error}`).toBe("PASSED");
  expect(final!.steps.map((s) => s.status)).toEqual(["PASSED", "PASSED", "PASSED", "PASSED"]);
  const shot = final!.steps[0]!.screenshot;
  expect(shot).toMatch(new RegExp(`^${BASE_URL}/api/v1/artifacts/`));
  const img = await request.get(shot!, { headers: auth });
  expect(img.status()).toBe(200);
  expect(img.headers()["content-type"]).toBe("image/png");

  // Team B's token cannot see team A's run: the same 404 as an unknown id.
  const { teamB } = readState();
  const db = createDb(DATABASE_URL);
  let tokenB: string;
  try {
    tokenB = (await createApiToken(db, { teamId: teamB.id, name: "team B e2e" })).token;
  } finally {
    await db.$disconnect();
  }
  const foreign = await request.get(run.api, { headers: { Authorization: `Bearer ${tokenB}` }, maxRedirects: 0 });
  expect(foreign.status()).toBe(404);
  expect(await foreign.json()).toEqual({ error: { code: "NOT_FOUND", message: "Run not found" } });

  // Revoke on the page: the token stops working at once.
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row).toContainText("Revoked");
  const revoked = await request.get(run.api, { headers: auth, maxRedirects: 0 });
  expect(revoked.status()).toBe(401);
  expect(revoked.headers()["www-authenticate"]).toContain("Bearer");

  // No token at all: a JSON 401, never a redirect to /login.
  const anonymous = await request.post("/api/v1/runs", { data: { testName: DEMO_TEST }, maxRedirects: 0 });
  expect(anonymous.status()).toBe(401);
  expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
});

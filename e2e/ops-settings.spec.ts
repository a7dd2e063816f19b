import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { ADMIN_A } from "./e2e-env";
import { logIn } from "./helpers";

test("Settings → Retention saves a team's days and refuses heal events kept longer than runs", async ({ page }) => {
  await logIn(page, ADMIN_A);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Retention" }).click();
  await expect(page.getByRole("heading", { name: "Retention", level: 1 })).toBeVisible();
  const runs = page.getByLabel("Runs and artifacts (days)");
  const heals = page.getByLabel(/Heal events \(days/);

  await runs.fill("12");
  await heals.fill("13");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("cannot be kept longer than runs")).toBeVisible();

  await heals.fill("9");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Runs and artifacts (days)")).toHaveValue("12");
  await expect(page.getByLabel(/Heal events \(days/)).toHaveValue("9");
});

test("Settings → Alerts: a webhook rule's 'Send test' reaches a loopback receiver, signed, and shows in the delivery log", async ({ page }) => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pacts-${Date.now()}`;
  try {
    await logIn(page, ADMIN_A);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();

    await page.getByLabel("When the test…").selectOption("FAILURE");
    await page.getByLabel("N (failed runs)").fill("2");
    await page.getByLabel("Channel").selectOption("WEBHOOK");
    await page.getByLabel("URL", { exact: true }).fill(url);
    await page.getByRole("button", { name: "Add rule" }).click();
    const secret = await page.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const row = page.getByRole("row").filter({ hasText: url });
    await expect(row).toContainText("Any test fails 2 runs in a row");
    await row.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByText("Test delivered (202).")).toBeVisible();

    expect(received).toHaveLength(1);
    const hit = received[0]!;
    expect(hit.headers["x-pacts-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(hit.body).digest("hex")}`);
    expect(JSON.parse(hit.body)).toMatchObject({ test: true, event: "FAILURE" });

    const log = page.getByRole("region", { name: "Delivery log" });
    await expect(log.getByRole("row").nth(1)).toContainText("DELIVERED");
    await expect(log.getByRole("row").nth(1)).toContainText("1 (202)");

    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: /^Delete rule/ }).click();
    await expect(page.getByRole("row").filter({ hasText: url })).toHaveCount(0);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

#!/usr/bin/env node
// The baseline PACTS is measured against: the login test written by hand with playwright-core and known-good
// locators, taking the same per-step screenshots with the same Chromium, launch flags and viewport as the
// engine. Usable in-process (runHandwritten with a shared browser) or as a whole process:
//   node bench/handwritten.mjs <start-url> [screenshot-dir]
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const VIEWPORT = { width: 1280, height: 800 };

/** Same rules as src/server/env.ts + src/server/browser.ts: CHROMIUM_ARGS (JSON array or words), --no-sandbox as root. */
export function launchArgs(raw = process.env.CHROMIUM_ARGS) {
  const trimmed = raw?.trim() ?? "";
  const args = !trimmed ? [] : trimmed.startsWith("[") ? JSON.parse(trimmed) : trimmed.split(/\s+/);
  if (process.getuid?.() === 0 && !args.includes("--no-sandbox")) args.push("--no-sandbox");
  return args;
}

export function launchHandwrittenBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: launchArgs(),
  });
}

/** Opens `startUrl` in a fresh context, runs `steps(page, shot)` and closes the context; `shot(i)` stores a screenshot. */
async function scripted(browser, startUrl, shotDir, prefix, steps) {
  await mkdir(shotDir, { recursive: true });
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.goto(startUrl, { waitUntil: "load", timeout: 15000 });
    const shot = async (idx) => writeFile(path.join(shotDir, `${prefix}-${idx}.png`), await page.screenshot({ timeout: 5000 }));
    await steps(page, shot);
  } finally {
    await context.close();
  }
}

/** One run of the login test: goto, fill, fill, click, expect text — a screenshot after each step. */
export function runHandwritten(browser, startUrl, shotDir) {
  return scripted(browser, startUrl, shotDir, "step", async (page, shot) => {
    await page.locator("#user").fill("alice", { timeout: 5000 });
    await shot(0);
    await page.locator("#pw").fill("wonderland", { timeout: 5000 });
    await shot(1);
    await page.locator("#login").click({ timeout: 5000 });
    await shot(2);
    await page.getByText("Welcome, alice").waitFor({ state: "visible", timeout: 5000 });
    await shot(3);
  });
}

/** bench/run-bench.ts (e): the large page's newsletter test, with the user-facing locators Playwright recommends. */
export function runHandwrittenLargePage(browser, startUrl, shotDir) {
  return scripted(browser, startUrl, shotDir, "large", async (page, shot) => {
    await page.getByLabel("Search").fill("Playwright", { timeout: 5000 });
    await shot(0);
    await page.getByLabel("Email").fill("a@b.co", { timeout: 5000 });
    await shot(1);
    await page.getByLabel("Password").fill("secret", { timeout: 5000 });
    await shot(2);
    await page.getByRole("button", { name: "Subscribe" }).click({ timeout: 5000 });
    await shot(3);
    await page.getByText("Subscribed a@b.co").waitFor({ state: "visible", timeout: 5000 });
    await shot(4);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [url, dir] = process.argv.slice(2);
  if (!url) {
    process.stderr.write("usage: node bench/handwritten.mjs <start-url> [screenshot-dir]\n");
    process.exit(2);
  }
  const browser = await launchHandwrittenBrowser();
  try {
    await runHandwritten(browser, url, dir ?? path.join(tmpdir(), `pacts-hand-${process.pid}`));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

// A to-do app written with Lit (npm `lit`, served from node_modules on loopback: test/helpers/shadow-pages.ts),
// driven by plain-English steps on a real Chromium: rows are <li><todo-item> whose checkbox, title and Delete
// button live in the item's own shadow root, so `in the row "…"` has to see through it. Every assertion is
// also checked the other way round, so none passes vacuously.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { executeStep, type StepResult } from "./executor";
import { parseSteps } from "../../steps/step-parser";
import { useTestBrowser } from "../../../../test/helpers/browser";
import { shadowPagesHandler } from "../../../../test/helpers/shadow-pages";

const browser = useTestBrowser();
let server: http.Server;
let url: string;
let page: Page;

beforeAll(async () => {
  server = http.createServer(shadowPagesHandler(path.resolve(import.meta.dirname, "../../../..")));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
});
beforeEach(async () => {
  await page?.close();
  page = await browser().newPage();
  await page.goto(url);
  await page.locator("todo-input input").waitFor({ timeout: 15_000 });
});

async function run(line: string, stepTimeoutMs = 3000): Promise<StepResult> {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}`);
  return executeStep(page, parsed.steps[0]!, { startUrl: url, stepTimeoutMs, navigationTimeoutMs: 5000 });
}

async function passes(...lines: string[]) {
  for (const line of lines) {
    const r = await run(line);
    expect({ line, status: r.status, error: r.error }).toEqual({ line, status: "PASSED", error: undefined });
  }
}

async function fails(...lines: string[]) {
  for (const line of lines) expect({ line, status: (await run(line, 800)).status }).toEqual({ line, status: "FAILED" });
}

/** Titles and states of the rows, read by hand through the shadow roots (Playwright's css pierces them). */
const rows = () => page.locator("todo-item").evaluateAll((els) => els.map((e) => `${e.shadowRoot!.querySelector("label")!.textContent}${e.shadowRoot!.querySelector("input")!.checked ? " (done)" : ""}`));

it("adds, completes, filters, deletes and clears rows whose controls sit in each item's shadow root", async () => {
  await passes('Fill "Buy milk" in the "What needs to be done?" field', "Press Enter", 'Fill "Walk dog" in the "What needs to be done?" field', "Press Enter");
  expect(await rows()).toEqual(["Buy milk", "Walk dog"]);
  await passes('Expect text "Buy milk"', 'Expect text "2 items left"', "Expect 2 checkboxes");
  await fails('Expect text "1 item left"', "Expect 3 checkboxes", 'Expect no text "Walk dog"');

  await passes('Check the checkbox in the row "Buy milk"');
  expect(await rows()).toEqual(["Buy milk (done)", "Walk dog"]);
  await passes('Expect text "1 item left"', 'Expect the checkbox in the row "Buy milk" to be checked', 'Expect the checkbox in the row "Walk dog" to be unchecked');
  await fails('Expect the checkbox in the row "Walk dog" to be checked');

  await passes("Click Active", 'Expect no text "Buy milk"', 'Expect text "Walk dog"', "Click Completed", 'Expect text "Buy milk"', 'Expect no text "Walk dog"', "Click All");
  await passes('Click Delete in the row "Walk dog"');
  expect(await rows()).toEqual(["Buy milk (done)"]);
  await passes('Expect no text "Walk dog"', "Click Clear completed", 'Expect no text "Buy milk"');
  expect(await rows()).toEqual([]);
  await fails('Click Delete in the row "Buy milk"');
});

it("reads a slot's projected heading, not its fallback nor a template's copy", async () => {
  await passes('Expect text "Tips"', 'Expect text "Double-click to edit a todo"', 'Expect no text "Panel fallback heading"', 'Expect no text "Panel template copy"');
  await fails('Expect text "Panel fallback heading"', 'Expect text "Panel template copy"');
});

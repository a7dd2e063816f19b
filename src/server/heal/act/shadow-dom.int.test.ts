// Shadow DOM is the normal case (issue 12): every step kind and assertion on a to-do app made of custom elements
// nested three deep in open shadow roots (test/helpers/shadow-pages.ts), on a real Chromium. Each assertion is
// checked both ways: what the page shows passes, and what it does not (a slot's hidden fallback, a template's
// copy, a removed row) fails.
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { executeStep, type StepResult } from "./executor";
import { parseSteps } from "../../steps/step-parser";
import { useTestBrowser } from "../../../../test/helpers/browser";
import { todoElementsPage } from "../../../../test/helpers/shadow-pages";

const browser = useTestBrowser();
let page: Page;

beforeEach(async () => {
  await page?.close();
  page = await browser().newPage();
  await page.setContent(todoElementsPage());
});

async function run(line: string, stepTimeoutMs = 3000): Promise<StepResult> {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}`);
  return executeStep(page, parsed.steps[0]!, { startUrl: "http://127.0.0.1:1/", stepTimeoutMs, navigationTimeoutMs: 2000 });
}

async function passes(...lines: string[]) {
  for (const line of lines) {
    const r = await run(line);
    expect({ line, status: r.status, error: r.error }).toEqual({ line, status: "PASSED", error: undefined });
  }
}

async function fails(line: string) {
  const r = await run(line, 800);
  expect({ line, status: r.status }).toEqual({ line, status: "FAILED" });
  return r;
}

/** The titles of the rows, read through the shadow roots by hand (not by the engine under test). */
const rows = () =>
  page.evaluate(() => {
    const list = document.querySelector("todo-app")!.shadowRoot!.querySelector("todo-list")!.shadowRoot!.firstElementChild!;
    return Array.from(list.children).map((i) => ({ title: i.shadowRoot!.querySelector("span")!.textContent, done: i.shadowRoot!.querySelector("input")!.checked }));
  });

describe("steps inside nested open shadow roots", () => {
  it("fills, presses, checks and clicks controls three shadow roots deep, and text assertions see the result", async () => {
    await passes('Fill "Buy milk" in the "What needs to be done?" field', "Press Enter", 'Fill "Walk dog" in the New task field', "Press Enter on New task");
    expect(await rows()).toEqual([{ title: "Buy milk", done: false }, { title: "Walk dog", done: false }]);
    await passes('Expect text "Buy milk"', 'Expect text "2 items left"', 'Wait for text "Walk dog"');
    await fails('Expect no text "Buy milk"');
    await fails('Expect text "3 items left"');

    await passes('Check Done in the row "Buy milk"');
    expect(await rows()).toEqual([{ title: "Buy milk", done: true }, { title: "Walk dog", done: false }]);
    await passes('Expect text "1 item left"', 'Expect Done in the row "Buy milk" to be checked', 'Expect Done in the row "Walk dog" to be unchecked');
    await fails('Expect Done in the row "Walk dog" to be checked');

    await passes('Click Delete in the row "Walk dog"');
    expect(await rows()).toEqual([{ title: "Buy milk", done: true }]);
    await passes('Expect no text "Walk dog"', 'Expect text "0 items left"');
    await fails('Expect text "Walk dog"');
    await fails('Click Delete in the row "Walk dog"');
  });

  it("counts, visibility and values inside shadow roots", async () => {
    await passes('Fill "a" in New task', "Press Enter", 'Fill "b" in New task', "Press Enter", 'Fill "c" in New task', "Press Enter");
    await passes("Expect 3 checkboxes", 'Expect 3 "Delete" buttons', "Expect Delete in the row \"b\" to be visible");
    await fails("Expect 2 checkboxes");
    await passes('Fill "draft" in New task', 'Expect New task to have value "draft"');
    await fails('Expect New task to have value "other"');
  });

  it("text follows what is shown: a slot's projected content, not its fallback, a template's or a hidden element's copy", async () => {
    await passes('Expect text "Projected title"', 'Expect text "Card body"', 'Expect no text "Hidden fallback title"', 'Expect no text "Template copy"', 'Expect no text "Hidden note"');
    await fails('Expect text "Hidden fallback title"');
    await fails('Expect text "Template copy"');
    await fails('Expect text "Hidden note"');
  });

  it("waits for text that appears later inside a shadow root", async () => {
    await page.evaluate(() => setTimeout(() => document.querySelector("todo-app")!.shadowRoot!.querySelector("h1")!.append(" are saved"), 400));
    await passes('Wait for text "todos are saved"');
  });
});

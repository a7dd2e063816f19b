// Proves a generated spec runs green under @playwright/test against the page it came from: execute the steps with
// the engine (real Chromium, a local page with a same-origin iframe), generate the spec from the winning locators,
// write it with a minimal config to a temp dir and run Playwright's own CLI on it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateSpec, type CodegenStep } from "./codegen";
import { executeStep, gotoUrl } from "../act/executor";
import { parseSteps } from "../../steps/step-parser";
import { Tabs } from "../page/tabs";
import { shadowPagesHandler } from "../../../../test/helpers/shadow-pages";

const REPO = path.resolve(import.meta.dirname, "../../../..");
const CLI = path.join(REPO, "node_modules/@playwright/test/cli.js");
const ARGS = ["--headless", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", ...(process.getuid?.() === 0 ? ["--no-sandbox"] : [])];

const FRAME = `<label for=c>Card number</label><input id=c>`;
const PAGE = `<!doctype html><html><head><title>Checkout "quoted" \\ page</title></head><body>
<label for="n">Name on card</label><input id="n" placeholder="As printed">
<iframe title="Secure card frame" srcdoc="${FRAME.replace(/"/g, "&quot;")}"></iframe>
<label><input type="checkbox" id="t"> I accept the "terms"</label>
<button data-testid="pay" onclick="document.getElementById('o').textContent='Paid: ' + document.getElementById('n').value">Pay $20.00</button>
<p id="o"></p></body></html>`;

// Disclosures (an accordion button, a <details>), file inputs (visible, hidden behind a label or a button): each step family the executor runs must come out of codegen
// as code that does the same.
const FAMILIES = `<!doctype html><html><head><title>Families</title></head><body>
<h3><button id="ship" aria-expanded="false" aria-controls="p1">Shipping</button></h3><div id="p1" hidden>Ships in 2 days</div>
<details><summary>Returns</summary><p>30 days to return</p></details>
<label for="cv">Resume</label><input type="file" id="cv">
<label for="av">Profile picture</label><input type="file" id="av" style="position:absolute;opacity:0;width:1px;height:1px">
<div><p>Drop files here</p><button type="button" onclick="this.nextElementSibling.click()">Choose file</button><input type="file" style="display:none"></div>
<script>document.getElementById('ship').addEventListener('click', (e) => {
  const b = e.currentTarget, open = b.getAttribute('aria-expanded') !== 'true';
  b.setAttribute('aria-expanded', String(open)); document.getElementById('p1').hidden = !open; });</script>
</body></html>`;

// A link that opens a tab, and a button whose popup asks for confirmation (answered with OK in both).
const TAB_PAGES: Record<string, string> = {
  "/tabs/one": `<title>Home</title><p>Home page</p><a href="/tabs/two" target="_blank">Open docs</a>`,
  "/tabs/two": `<title>Docs</title><p>Docs page</p><button onclick="if (confirm('Sure?')) window.open('/tabs/three')">Open popup</button>`,
  "/tabs/three": `<title>Popup</title><p>Popup page</p>`,
};

let server: http.Server;
let url: string;
let browser: Browser;
beforeAll(async () => {
  // The Lit to-do app (test/helpers/shadow-pages.ts) and its lit modules under /lit/.
  const lit = shadowPagesHandler(REPO);
  server = http.createServer((q, res) => {
    if (q.url?.startsWith("/lit/") || q.url?.startsWith("/node_modules/")) return lit(Object.assign(q, { url: q.url.replace(/^\/lit\//, "/") }), res);
    res.writeHead(200, { "content-type": "text/html" }).end(TAB_PAGES[q.url ?? ""] ?? (q.url?.startsWith("/families") ? FAMILIES : PAGE));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

/** Writes the spec with a minimal config to a temp dir inside the repo and runs Playwright's own CLI on it. */
async function expectSpecPasses(spec: string): Promise<void> {
  // Inside the repo so the spec resolves @playwright/test like a project file would; removed afterwards.
  const dir = fs.mkdtempSync(path.join(REPO, "tmp-codegen-"));
  try {
    fs.writeFileSync(path.join(dir, "generated.spec.ts"), spec);
    fs.writeFileSync(
      path.join(dir, "playwright.config.mjs"),
      `export default { testDir: ${JSON.stringify(dir)}, outputDir: ${JSON.stringify(path.join(dir, "out"))}, reporter: "line", use: { launchOptions: { executablePath: "/usr/bin/chromium", args: ${JSON.stringify(ARGS)} } } };\n`,
    );
    // Async: the page is served by this very process, so its event loop must keep running.
    const res = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, "test", "-c", path.join(dir, "playwright.config.mjs")], { cwd: REPO, timeout: 90_000 });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    expect(res.status, `${res.stdout}\n${res.stderr}\n${spec}`).toBe(0);
    expect(res.stdout).toMatch(/1 passed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

it("a generated spec runs green under @playwright/test", async () => {
  const parsed = parseSteps(`Fill "Ada O'Byron" in the Name on card field
Fill "4242" in the Card number field
Check the I accept the "terms" checkbox
Click the Pay $20.00 button
Expect text "Paid: Ada"
Expect title contains "quoted"`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const page = await browser.newPage();
  await gotoUrl(page, url, 5000);
  const steps: CodegenStep[] = [];
  for (const step of parsed.steps) {
    const r = await executeStep(page, step, { startUrl: url, stepTimeoutMs: 3000, navigationTimeoutMs: 5000 });
    expect(r.status, r.error).toBe("PASSED");
    steps.push({ step, locatorCode: r.locatorCode });
  }
  await page.close();
  const spec = generateSpec({ testName: 'generated "spec"', startUrl: url, steps });
  expect(spec).toContain("frameLocator(");
  expect(spec).toContain("getByLabel(");

  await expectSpecPasses(spec);
}, 120_000);

it("a generated spec with disclosure and upload steps runs green under @playwright/test", async () => {
  const parsed = parseSteps(`Expand the Shipping section
Expand the Shipping section
Expect text "Ships in 2 days"
Open the Returns section
Expect text "30 days to return"
Collapse Shipping
Expect no text "Ships in 2 days"
Upload "resume.pdf" to the Resume field
Attach "me.png" to the Profile picture field
Upload "data.csv" to Drop files here`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const start = `${url}families`;
  const files = fs.mkdtempSync(path.join(os.tmpdir(), "pacts-codegen-files-"));
  fs.writeFileSync(path.join(files, "resume.pdf"), "%PDF-1.4 mine");
  const page = await browser.newPage();
  await gotoUrl(page, start, 5000);
  const steps: CodegenStep[] = [];
  for (const step of parsed.steps) {
    const r = await executeStep(page, step, { startUrl: start, stepTimeoutMs: 3000, navigationTimeoutMs: 5000, uploadDirs: [files] });
    expect(r.status, `${step.text}: ${r.error}`).toBe("PASSED");
    steps.push({ step, locatorCode: r.locatorCode, upload: r.upload });
  }
  await page.close();
  const spec = generateSpec({ testName: "families", startUrl: start, steps });
  expect(spec).toContain(`setInputFiles(${JSON.stringify(fs.realpathSync(path.join(files, "resume.pdf")))})`);
  expect(spec).toContain('mimeType: "image/png", buffer: Buffer.from(');
  expect(spec).toContain("if ((await expanded()) !== true) await control.click();");
  try {
    await expectSpecPasses(spec);
  } finally {
    fs.rmSync(files, { recursive: true, force: true });
  }
}, 120_000);

it("a generated spec with tab steps runs green under @playwright/test", async () => {
  const parsed = parseSteps(`Click Open docs
Expect text "Home page"
Switch to the new tab
Expect URL contains "/tabs/two"
Click Open popup
Switch to the new window
Expect title contains "Popup"
Switch back to the previous tab
Expect text "Docs page"
Switch to the first tab
Expect URL contains "/tabs/one"
Switch to the last tab
Close the tab
Expect URL contains "/tabs/one"`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const start = `${url}tabs/one`;
  const page = await browser.newPage();
  const tabs = new Tabs(page.context(), page, (p) => p.on("dialog", (d) => void d.accept()));
  await gotoUrl(page, start, 5000);
  const steps: CodegenStep[] = [];
  for (const step of parsed.steps) {
    const r = await executeStep(tabs.page, step, { startUrl: start, stepTimeoutMs: 3000, navigationTimeoutMs: 5000, tabs });
    expect(r.status, `${step.text}: ${r.error}`).toBe("PASSED");
    steps.push({ step, locatorCode: r.locatorCode });
  }
  await page.context().close();
  const spec = generateSpec({ testName: "tabs", startUrl: start, steps });
  expect(spec).toContain("async ({ page: firstPage, context }) => {");
  expect(spec).toContain('page = await switchTab("new");');
  expect(spec).toContain("page = await closeTab();");
  await expectSpecPasses(spec);
}, 120_000);

it("a generated spec of a run on a web-component app (Lit, nested open shadow roots) runs green under @playwright/test", async () => {
  const parsed = parseSteps(`Fill "Buy milk" in the "What needs to be done?" field
Press Enter
Fill "Walk dog" in the "What needs to be done?" field
Press Enter
Expect text "Buy milk"
Expect text "2 items left"
Check the checkbox in the row "Buy milk"
Expect the checkbox in the row "Buy milk" to be checked
Expect text "1 item left"
Expect 2 checkboxes
Click Delete in the row "Walk dog"
Expect no text "Walk dog"
Expect no text "Panel fallback heading"
Click Clear completed
Expect no text "Buy milk"`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const start = `${url}lit/`;
  const page = await browser.newPage();
  await gotoUrl(page, start, 5000);
  const steps: CodegenStep[] = [];
  for (const step of parsed.steps) {
    const r = await executeStep(page, step, { startUrl: start, stepTimeoutMs: 3000, navigationTimeoutMs: 5000 });
    expect(r.status, `${step.text}: ${r.error}`).toBe("PASSED");
    steps.push({ step, locatorCode: r.locatorCode });
  }
  await page.close();
  const spec = generateSpec({ testName: "lit todos", startUrl: start, steps });
  await expectSpecPasses(spec);
  // The spec must be able to fail: the same spec with a row the page never shows is red.
  // And it can fail: "no text" for a row that is still shown (inside the shadow roots) is red.
  const noWalkDog = 'getByText("Walk dog").filter({ visible: true })).toHaveCount(0)';
  expect(spec).toContain(noWalkDog);
  await expect(expectSpecPasses(spec.replace(noWalkDog, noWalkDog.replace("Walk dog", "Buy milk")))).rejects.toThrow();
}, 180_000);

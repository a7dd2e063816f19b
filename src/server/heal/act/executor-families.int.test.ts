// The disclosure, upload and tab steps on a real Chromium page: each acts only as far as it must, checks that the
// page followed, and fails with a message a tester can act on when it did not.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { executeStep, type StepContext } from "./executor";
import { parseSteps } from "../../steps/step-parser";
import { Tabs } from "../page/tabs";
import { useTestBrowser } from "../../../../test/helpers/browser";

const browser = useTestBrowser();
let page: Page;
// A step that should pass gets the product's default step time, so a loaded machine cannot fail it; a step that
// should fail says so with its own short limit (SHORT), which its message then names.
const ctx: StepContext = { startUrl: "http://127.0.0.1:1/", stepTimeoutMs: 5000, navigationTimeoutMs: 10_000 };
const SHORT = { stepTimeoutMs: 800 };

beforeEach(async () => {
  await page?.context().close();
  page = await (await browser().newContext()).newPage();
});

async function run(line: string, more: Partial<StepContext> = {}) {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}: ${JSON.stringify(parsed.errors)}`);
  // With tabs, the step acts on the current tab, as a run does.
  return executeStep(more.tabs?.page ?? page, parsed.steps[0]!, { ...ctx, ...more });
}

describe("Expand / Collapse", () => {
  const ACCORDION = `<h3><button id="ship" aria-expanded="false" aria-controls="p1">Shipping</button></h3><div id="p1" hidden>Ships in 2 days</div>
    <h3><button id="bill" aria-expanded="true" aria-controls="p2"><span>Billing</span></button></h3><div id="p2">Pay by card</div>
    <details id="ret"><summary>Returns</summary><p>30 days to return</p></details>
    <button id="more">More info</button><p id="info" hidden>Extra</p>
    <button id="stuck" aria-expanded="false">Broken</button>
    <script>
      document.querySelectorAll('[aria-controls]').forEach((b) => b.addEventListener('click', () => {
        const open = b.getAttribute('aria-expanded') !== 'true';
        b.setAttribute('aria-expanded', String(open));
        document.getElementById(b.getAttribute('aria-controls')).hidden = !open;
        b.dataset.clicks = String(Number(b.dataset.clicks || 0) + 1);
      }));
      document.getElementById('more').addEventListener('click', () => { document.getElementById('info').hidden = false; });
    </script>`;
  beforeEach(async () => {
    await page.setContent(ACCORDION);
  });

  it("expands a collapsed accordion button and verifies aria-expanded", async () => {
    const r = await run("Expand the Shipping section");
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("PASSED");
    expect(await page.getAttribute("#ship", "aria-expanded")).toBe("true");
    expect(await page.isVisible("text=Ships in 2 days")).toBe(true);
    expect(r.note).toBeUndefined();
  });

  it("expanding an expanded panel (or collapsing a collapsed one) passes without clicking it", async () => {
    const r = await run("Expand Billing");
    expect(r.status).toBe("PASSED");
    expect(r.note).toMatch(/already expanded/);
    expect(await page.getAttribute("#bill", "data-clicks")).toBeNull();
    expect((await run("Collapse the Shipping accordion")).note).toMatch(/already collapsed/);
    expect(await page.getAttribute("#ship", "data-clicks")).toBeNull();
  });

  it("collapses through Close the … accordion, and toggles a <details> by its summary", async () => {
    expect((await run("Close the Billing accordion")).status).toBe("PASSED");
    expect(await page.getAttribute("#bill", "aria-expanded")).toBe("false");
    expect(await page.isHidden("text=Pay by card")).toBe(true);
    const open = await run("Open the Returns section");
    expect(open.error).toBeUndefined();
    expect(await page.evaluate(() => (document.getElementById("ret") as HTMLDetailsElement).open)).toBe(true);
    expect((await run("Expand Returns")).note).toMatch(/already expanded/);
    expect((await run("Collapse Returns")).status).toBe("PASSED");
    expect(await page.evaluate(() => (document.getElementById("ret") as HTMLDetailsElement).open)).toBe(false);
  });

  it("a control with no expanded state is clicked, and the step says so", async () => {
    const r = await run("Expand More info");
    expect(r.status).toBe("PASSED");
    expect(r.note).toMatch(/no expanded state.*clicked it/);
    expect(await page.isVisible("#info")).toBe(true);
  });

  it("fails when the control does not follow", async () => {
    const r = await run("Expand Broken", SHORT);
    expect(r.status).toBe("FAILED");
    expect(r.failure).toBe("ASSERTION");
    expect(r.error).toMatch(/Clicked "Broken", but it did not become expanded within 800 ms \(it is collapsed\)/);
  });

  it("finds the control through the element a click would find (a heading wrapping its button)", async () => {
    await page.setContent(`<div class="acc"><h3 id="h" onclick="void 0"><span>FAQ</span> <button aria-expanded="false" aria-label="toggle" onclick="this.setAttribute('aria-expanded', 'true')">+</button></h3></div>`);
    const r = await run("Expand the FAQ section");
    expect(r.error).toBeUndefined();
    expect(await page.getAttribute("button", "aria-expanded")).toBe("true");
  });
});

describe("Upload", () => {
  // A visible input by its label, a hidden input behind a styled label (for=), one wrapped in its label, one
  // beside a "Choose file" button in a drop zone, and each shows what it got.
  const FORM = `<label for="cv">Resume</label><input type="file" id="cv">
    <label for="av" class="btn">Profile picture</label><input type="file" id="av" accept="image/*" style="position:absolute;width:1px;height:1px;opacity:0;overflow:hidden">
    <label class="btn">Attachments <input type="file" id="att" hidden></label>
    <div class="drop"><p>Drop files here</p><button type="button" onclick="this.nextElementSibling.click()">Choose file</button><input type="file" id="drop" style="display:none"></div>
    <p id="out"></p>
    <script>document.querySelectorAll('input[type=file]').forEach((i) => i.addEventListener('change', () => {
      document.getElementById('out').textContent = i.id + ': ' + Array.from(i.files).map((f) => f.name + ' ' + f.type + ' ' + f.size).join(', ');
    }));</script>`;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pacts-upload-int-"));
    fs.writeFileSync(path.join(dir, "resume.pdf"), "%PDF-1.4 mine");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await page.setContent(FORM);
  });
  const fileOf = (id: string) => page.evaluate((i) => Array.from((document.getElementById(i) as HTMLInputElement).files ?? []).map((f) => `${f.name} ${f.type} ${f.size}`), id);

  it("reads the file from an allowed folder into the labelled input", async () => {
    const r = await run('Upload "resume.pdf" to the Resume field', { uploadDirs: [dir] });
    expect(r.error).toBeUndefined();
    expect(r.note).toBeUndefined();
    expect(await fileOf("cv")).toEqual(["resume.pdf application/pdf 13"]);
    expect(r.upload?.path).toBe(fs.realpathSync(path.join(dir, "resume.pdf")));
  });

  it.each([
    ['Attach "me.png" to the Profile picture field', "av", "me.png image/png"],
    ['Upload "notes.txt" to Attachments', "att", "notes.txt text/plain"],
    ['Upload "data.csv" to the Choose file button', "drop", "data.csv text/csv"],
    ['Upload "data.csv" to Drop files here', "drop", "data.csv text/csv"],
  ])("sets a hidden input through its control: %s", async (line, id, file) => {
    const r = await run(line, { uploadDirs: [dir] });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("PASSED");
    expect((await fileOf(id))[0]).toMatch(new RegExp(`^${file} \\d+$`));
    expect(r.note).toMatch(/uploaded a generated .* no such file/);
    expect(await page.textContent("#out")).toContain(`${id}: ${file}`);
  });

  it("a run without an allowed folder never reads a file from disk, however it is named", async () => {
    const r = await run(`Upload "${path.join(dir, "resume.pdf")}" to the Resume field`);
    expect(r.status).toBe("PASSED");
    expect(r.note).toMatch(/generated resume\.pdf \(application\/pdf, \d+ bytes\).*PACTS_UPLOAD_DIR/);
    expect((await fileOf("cv"))[0]).not.toBe("resume.pdf application/pdf 13");
    const passwd = await run('Upload "../../../../etc/passwd" to the Resume field', { uploadDirs: [dir] });
    expect(passwd.note).toMatch(/generated passwd .*outside/);
  });

  it("without a target uses the page's only file input, and says which when there are several", async () => {
    await page.setContent(`<div><input type="file" id="only" style="display:none"><span>Import</span></div>`);
    const r = await run('Upload "data.csv"');
    expect(r.error).toBeUndefined();
    expect(await fileOf("only")).toEqual([expect.stringMatching(/^data\.csv text\/csv/)]);
    expect(r.locatorCode).toBe('locator("input[type=file]")');
    await page.setContent(FORM);
    const several = await run('Upload "data.csv"');
    expect(several.status).toBe("FAILED");
    expect(several.error).toMatch(/the page has 4 file inputs: name the one to use/);
  });

  it("fails when the named element has no file input", async () => {
    // The one file input on the page is not beside it: five levels up.
    await page.setContent(`<div><div><div><div><button>Send</button></div></div></div></div><input type="file" id="far">`);
    const r = await run('Upload "a.pdf" to Send');
    expect(r.status).toBe("FAILED");
    expect(r.failure).toBe("NOT_FOUND");
    expect(r.error).toMatch(/Cannot upload to "Send": no file input belongs to it/);
  });
});

describe("Tabs", () => {
  const PAGES: Record<string, string> = {
    "/one": `<title>Home</title><p>Home page</p><a href="/two" target="_blank">Open docs</a>
      <button onclick="window.open('/three')">Open popup</button><button onclick="alert('hi from one')">Greet</button>`,
    "/two": `<title>Docs</title><p>Docs page</p>`,
    "/three": `<title>Popup</title><p>Popup page</p><button onclick="confirm('Sure?') && (document.body.dataset.ok = 'yes')">Confirm</button>`,
  };
  let tabs: Tabs;
  const step = (line: string, more: Partial<StepContext> = {}) => run(line, { tabs, ...more }).then((r) => ({ ...r, url: tabs.page.url() }));
  beforeEach(async () => {
    await page.context().route("http://tabs.test/**", (r) =>
      r.fulfill({ contentType: "text/html", body: PAGES[new URL(r.request().url()).pathname] ?? "<p>404</p>" }),
    );
    // A popup's confirm() is answered with OK, as a run's answerDialogs does.
    tabs = new Tabs(page.context(), page, (p) => p.on("dialog", (d) => void d.accept()));
    await page.goto("http://tabs.test/one");
  });
  const passes = async (line: string, url?: string) => {
    const r = await step(line);
    expect(r.error, line).toBeUndefined();
    if (url) expect(r.url).toBe(`http://tabs.test${url}`);
  };

  it("follows popups: a click keeps the current tab, a switch moves to the new one, back and close return", async () => {
    await passes("Click Open docs", "/one");
    await passes('Expect text "Home page"');
    await passes("Switch to the new tab", "/two");
    await passes('Expect URL contains "/two"');
    await passes('Expect title contains "Docs"');
    const again = await step("Switch to the new tab", SHORT);
    expect(again.status).toBe("FAILED");
    expect(again.failure).toBe("TIMEOUT");
    expect(again.error).toMatch(/No new tab opened within 800 ms \(2 tabs open, none new since the last switch\)/);
    await passes("Switch back to the previous tab", "/one");
    await passes("Click Open popup", "/one");
    await passes("Switch to the new window", "/three");
    await passes("Click Confirm");
    expect(await tabs.page.evaluate(() => document.body.dataset.ok)).toBe("yes");
    await passes("Switch to the first tab", "/one");
    await passes("Switch to the last tab", "/three");
    await passes("Close the tab", "/one");
    expect(tabs.count).toBe(2);
    await passes("Close the window", "/two");
    const last = await step("Close the tab");
    expect(last.status).toBe("FAILED");
    expect(last.error).toMatch(/only tab/);
    expect(tabs.count).toBe(1);
  });

  it("a new tab opened later is waited for, up to the step timeout", async () => {
    await page.evaluate(() => setTimeout(() => window.open("/two"), 300));
    await passes("Switch to the popup", "/two");
    await passes('Expect text "Docs page"');
  });

  it("a run without tab tracking fails a tab step instead of guessing", async () => {
    const r = await run("Switch to the new tab");
    expect(r.status).toBe("FAILED");
    expect(r.error).toMatch(/does not keep track of tabs/);
  });
});

// Real Chromium: the one-look cache-hit inspection and its watch. Each fact must be able to say "no" (hidden,
// disabled, covered, moving, several matches, page changing), and a watch must see any real change between
// the look and the confirm, while the caret hiding Playwright does around a screenshot is not a change.
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testLaunchArgs } from "../../../../test/helpers/chromium";
import { waitForSettled } from "./gate";
import { confirmWatched, inspectElement, MUTATION_CLOCK_INIT } from "./hit-check";

let browser: Browser;
let page: Page;
let plainPage: Page;
let clockPage: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: testLaunchArgs() });
  plainPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript({ content: MUTATION_CLOCK_INIT });
  clockPage = await ctx.newPage();
});
afterAll(async () => {
  await browser?.close();
});
// A test that left the page adding rows must not make the next one's page busy.
afterEach(async () => {
  await Promise.all([plainPage, clockPage].map((p) => stopAddingRows(p)));
});

const FORM = `<style>body{font:16px sans-serif} .cover{position:fixed;left:0;top:0;width:100vw;height:100vh;background:rgba(0,0,0,.5)}
@keyframes slide{from{margin-left:0}to{margin-left:600px}} .moving{animation:slide 2s linear infinite}</style>
<form><label for="user">Username</label><input id="user" name="user">
<label for="pw">Password</label><input id="pw" type="password">
<button id="go" type="submit">Log in</button><button class="twin">Twin</button><button class="twin">Twin</button></form>`;

/**
 * The page appends a paragraph every `everyMs` for 4 s: a real change that outlasts the look even on a loaded
 * machine (a burst of 20 turns could be over before a slow round trip reached the page). `stopAddingRows` ends it,
 * so the next test starts on a quiet page.
 */
const keepAddingRows = (p: Page, everyMs: number) =>
  p.evaluate((ms) => {
    const w = window as unknown as { __addingRows?: ReturnType<typeof setInterval> };
    const until = Date.now() + 4000;
    let n = 0;
    clearInterval(w.__addingRows);
    w.__addingRows = setInterval(() => {
      document.body.insertAdjacentHTML("beforeend", `<p>row ${n++}</p>`);
      if (Date.now() > until) clearInterval(w.__addingRows);
    }, ms);
  }, everyMs);
const stopAddingRows = (p: Page) => p.evaluate(() => clearInterval((window as unknown as { __addingRows?: ReturnType<typeof setInterval> }).__addingRows));

// Every behaviour holds with the document's mutation clock (run contexts) and without it (own observer).
describe.each([
  ["without the mutation clock", () => plainPage],
  ["with the mutation clock", () => clockPage],
])("%s", (_mode, pageFor) => {
beforeEach(async () => {
  page = pageFor();
  await page.setContent(FORM);
});

describe("inspectElement", () => {
  it("reports a quiet, visible, enabled, stable element with its fingerprint", async () => {
    const r = await inspectElement(page.getByLabel("Username"), { timeoutMs: 0, covered: true });
    expect(r.kind).toBe("seen");
    if (r.kind !== "seen") return;
    expect(r).toMatchObject({ visible: true, enabled: true, covered: false, stable: true, quiet: true, watching: false });
    expect(r.fingerprint).toMatchObject({ tag: "input", id: "user", name: "user", label: "Username" });
  });

  it("says no for hidden, disabled, covered and moving elements", async () => {
    await page.evaluate(() => {
      (document.getElementById("pw") as HTMLInputElement).style.visibility = "hidden";
      (document.getElementById("user") as HTMLInputElement).disabled = true;
    });
    const hidden = await inspectElement(page.locator("#pw"), { timeoutMs: 0, covered: false });
    const disabled = await inspectElement(page.locator("#user"), { timeoutMs: 0, covered: false });
    expect(hidden.kind === "seen" && hidden.visible).toBe(false);
    expect(disabled.kind === "seen" && disabled.enabled).toBe(false);

    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<div class="cover"></div>'));
    const covered = await inspectElement(page.locator("#go"), { timeoutMs: 0, covered: true });
    expect(covered.kind === "seen" && covered.covered).toBe(true);

    await page.setContent(FORM);
    await page.evaluate(() => document.getElementById("go")!.classList.add("moving"));
    await page.waitForTimeout(100); // a CSS animation starts moving on the frame after it was added
    const moving = await inspectElement(page.locator("#go"), { timeoutMs: 0, covered: false });
    expect(moving.kind === "seen" && moving.stable).toBe(false);
  });

  it("is not quiet when the page changes while it looks", async () => {
    await keepAddingRows(page, 5);
    const r = await inspectElement(page.locator("#user"), { timeoutMs: 0, covered: false, minQuietMs: 50 });
    expect(r.kind === "seen" && r.quiet).toBe(false);
  });

  it("is unsure about several matches and calls a selector gone only after polling until the timeout", async () => {
    expect((await inspectElement(page.locator(".twin"), { timeoutMs: 0, covered: false })).kind).toBe("unsure");

    const started = Date.now();
    expect((await inspectElement(page.locator("#late"), { timeoutMs: 300, covered: false })).kind).toBe("gone");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    await page.evaluate(() => setTimeout(() => document.body.insertAdjacentHTML("beforeend", '<button id="late">Late</button>'), 150));
    expect((await inspectElement(page.locator("#late"), { timeoutMs: 2000, covered: false })).kind).toBe("seen");
  });

  it("stops waiting for a selector that matches nothing once goneWhen says the element is elsewhere", async () => {
    const asked: boolean[] = [];
    // goneWhen answers no, then yes: the wait ends long before its minute (the test would time out otherwise).
    const gone = await inspectElement(page.locator("#nowhere"), {
      timeoutMs: 60_000,
      covered: false,
      goneWhen: async () => {
        asked.push(asked.length > 0);
        return asked.length > 1;
      },
    });
    expect(gone.kind).toBe("gone");
    expect(asked).toEqual([false, true]);
    // A selector that matches is answered without asking.
    const seen = await inspectElement(page.locator(".twin").first(), { timeoutMs: 60_000, covered: false, goneWhen: async () => { throw new Error("asked"); } });
    expect(seen.kind).toBe("seen");
  }, 10_000);
});

describe("watch and confirmWatched", () => {
  it("confirms when nothing changed, even across a screenshot (caret hiding is not a change)", async () => {
    const loc = page.getByLabel("Password");
    await page.locator("#pw").focus();
    const r = await inspectElement(loc, { timeoutMs: 0, covered: false, watch: true });
    expect(r.kind === "seen" && r.watching).toBe(true);
    await page.screenshot();
    expect(await confirmWatched(loc)).toBe(true);
    expect(await confirmWatched(loc)).toBe(false); // a watch is confirmed once
  });

  it("refuses after a DOM change, or when the selector now matches another element", async () => {
    const loc = page.locator("#user");
    await inspectElement(loc, { timeoutMs: 0, covered: false, watch: true });
    await page.evaluate(() => document.body.setAttribute("data-state", "changed"));
    expect(await confirmWatched(loc)).toBe(false);

    const byName = page.locator("input[name=user]");
    await inspectElement(byName, { timeoutMs: 0, covered: false, watch: true });
    await page.setContent(FORM); // a new document: the watch is gone with the old one
    expect(await confirmWatched(byName)).toBe(false);
  });

  it("refuses after a change inside a nested open shadow root, and the settle wait sees such changes", async () => {
    await page.setContent(`<x-outer></x-outer><script>
      customElements.define("x-inner", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = '<label for="f">Email</label><input id="f"><p class="msg"></p>'; } });
      customElements.define("x-outer", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = '<form><x-inner></x-inner></form>'; } });</script>`);
    const inner = () => document.querySelector("x-outer")!.shadowRoot!.querySelector("x-inner")!.shadowRoot!;
    const loc = page.getByLabel("Email");
    const r = await inspectElement(loc, { timeoutMs: 0, covered: false, watch: true });
    expect(r.kind === "seen" && r.watching).toBe(true);
    await page.evaluate(`(${inner.toString()})().querySelector(".msg").textContent = "Enter a valid email"`);
    expect(await confirmWatched(loc)).toBe(false);

    // Rows added inside the inner shadow root every 30 ms for 4 s: the page is not settled within 600 ms.
    await page.evaluate(`(() => { const root = (${inner.toString()})(); let n = 0; const until = Date.now() + 4000;
      window.__addingRows = setInterval(() => { root.append(Object.assign(document.createElement("p"), { textContent: "row " + n++ })); if (Date.now() > until) clearInterval(window.__addingRows); }, 30); })()`);
    const started = Date.now();
    expect(await waitForSettled(page, { quietMs: 100, capMs: 600 })).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it("refuses an element that moved without any DOM change (a CSS animation that started late)", async () => {
    await page.evaluate(() => {
      document.getElementById("go")!.style.animation = "slide 2s linear 250ms";
    });
    const loc = page.locator("#go");
    const r = await inspectElement(loc, { timeoutMs: 0, covered: false, watch: true });
    expect(r.kind === "seen" && r.watching).toBe(true);
    await page.waitForTimeout(450); // the animation runs now: the box moves, the DOM does not change
    expect(await confirmWatched(loc)).toBe(false);
  });

  it("leaves no watch when the element is not good, and waits out the minimum quiet time", async () => {
    await page.evaluate(() => ((document.getElementById("user") as HTMLInputElement).disabled = true));
    const loc = page.locator("#user");
    const r = await inspectElement(loc, { timeoutMs: 0, covered: false, watch: true, needEnabled: true });
    expect(r.kind === "seen" && r.watching).toBe(false);
    expect(await confirmWatched(loc)).toBe(false);

    // Quiet is counted from the page's last change (the clock) or from the look (own observer): change the page
    // first, so both wait about the full 300 ms.
    const pw = page.locator("#pw");
    await page.evaluate(() => document.body.setAttribute("data-changed", "now"));
    const started = Date.now();
    await inspectElement(pw, { timeoutMs: 0, covered: false, watch: true });
    expect(await confirmWatched(pw, 300)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200); // 300 ms, less a slow round trip
  });
});
});

describe("animation noise (SETTLE_NOISE)", () => {
  // A ticker moved by JavaScript every frame through its inline style, an SVG spinner rotated through its
  // attribute, and a progress bar's value: the page never stops mutating, but nothing is restructured.
  const ANIMATED = `${FORM}<footer><span id="ticker">news</span><svg width="20" height="20"><g id="spin"><rect width="10" height="2"/></g></svg>
<div id="bar" role="progressbar" aria-valuenow="0"></div><div id="shade" class="cover" style="display:none"></div></footer>
<script>(function loop(t) {
  document.getElementById("ticker").style.transform = "translateX(" + (Math.round(t / 16) % 300) + "px)";
  document.getElementById("spin").setAttribute("transform", "rotate(" + (Math.round(t / 16) % 360) + " 10 10)");
  document.getElementById("bar").setAttribute("aria-valuenow", String(Math.round(t / 16) % 100));
  requestAnimationFrame(loop);
})(0);</script>`;

  it.each([
    ["without the mutation clock", () => plainPage],
    ["with the mutation clock", () => clockPage],
  ])("does not keep a page from being quiet or settled (%s)", async (_mode, pageFor) => {
    page = pageFor();
    await page.setContent(ANIMATED);
    const r = await inspectElement(page.locator("#user"), { timeoutMs: 0, covered: false, minQuietMs: 50 });
    expect(r.kind === "seen" && r.quiet).toBe(true);
    expect(await waitForSettled(page, { capMs: 3000 })).toBe(true);
    // A real change still counts, animation or not.
    await keepAddingRows(page, 10);
    expect(await waitForSettled(page, { capMs: 3000 })).toBe(false);
  });

  it("still lets a confirm refuse an element that something was shown over through a style change", async () => {
    page = clockPage;
    await page.setContent(ANIMATED);
    const loc = page.locator("#go");
    const r = await inspectElement(loc, { timeoutMs: 0, covered: true, watch: true });
    expect(r.kind === "seen" && r.watching).toBe(true);
    await page.evaluate(() => (document.getElementById("shade")!.style.display = "block"));
    expect(await confirmWatched(loc, 0, { covered: true })).toBe(false);

    await page.evaluate(() => (document.getElementById("shade")!.style.display = "none"));
    await inspectElement(loc, { timeoutMs: 0, covered: true, watch: true });
    expect(await confirmWatched(loc, 0, { covered: true })).toBe(true);
  });
});

describe("the mutation clock", () => {
  beforeEach(async () => {
    page = clockPage;
    await page.setContent(FORM);
  });

  it("answers 'quiet for long enough' at once for a page that was already quiet", async () => {
    // Quiet counts from the page's last change, not from the look: after 2.6 s of quiet a 2.5 s quiet period is
    // already over. Counting from the look would take 2.5 s more; the bounds leave a loaded machine 2 s of slack.
    await page.waitForTimeout(2600);
    const started = Date.now();
    const r = await inspectElement(page.locator("#user"), { timeoutMs: 0, covered: false, minQuietMs: 2500 });
    expect(r.kind === "seen" && r.quiet).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    const loc = page.locator("#pw");
    await inspectElement(loc, { timeoutMs: 0, covered: false, watch: true });
    const confirmStarted = Date.now();
    expect(await confirmWatched(loc, 2500)).toBe(true);
    expect(Date.now() - confirmStarted).toBeLessThan(2000);
  }, 15_000);

  it("waits out the quiet period when the page changed just before the look", async () => {
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", "<p>just now</p>"));
    const started = Date.now();
    const r = await inspectElement(page.locator("#user"), { timeoutMs: 0, covered: false, minQuietMs: 200 });
    expect(r.kind === "seen" && r.quiet).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // 200 ms from the change, minus a round trip
  });
});

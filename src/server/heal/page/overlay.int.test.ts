// Consent banners and modal layers in the way of a step, on real Chromium: each is got out of the way by its
// own accepting or closing button, wherever that button lives (the page, an open shadow root, an iframe, the
// top layer), and nothing is pressed on a layer that is not an overlay or whose only answers confirm something.
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { executeStep, type StepContext } from "../act/executor";
import { findDismissButton } from "./overlay";
import { parseSteps } from "../../steps/step-parser";
import { useTestBrowser } from "../../../../test/helpers/browser";

const browser = useTestBrowser();
let page: Page;
const ctx: StepContext = { startUrl: "http://127.0.0.1:1/", stepTimeoutMs: 1500, navigationTimeoutMs: 2000 };

beforeEach(async () => {
  await page?.close();
  page = await browser().newPage();
});

// The page under every banner: a newsletter form whose submit writes what it got. `window.pressed` records which
// banner button was clicked, kept in a script variable the engine cannot read from the DOM.
const FORM = `<main style="padding:20px"><form onsubmit="event.preventDefault();document.getElementById('out').textContent='Subscribed '+document.getElementById('em').value">
<label for="em">Email</label> <input id="em" type="email"> <button type="submit">Subscribe</button></form><p id="out"></p></main>
<script>window.pressed = [];</script>`;
/** A backdrop over the whole page holding a dialog with these buttons; each records its name and removes the banner. */
const banner = (buttons: string[], style = "position:fixed;inset:0;z-index:1000;background:rgba(0,0,0,.5)", text = "We use cookies to improve your experience.") =>
  `<div id="cmp" style="${style}"><div role="dialog" style="background:#fff;margin:100px auto;width:420px;padding:16px"><p>${text}</p>${buttons
    .map((b) => `<button type="button" onclick="window.pressed.push(this.textContent);document.getElementById('cmp').remove()">${b}</button>`)
    .join(" ")}</div></div>`;

async function run(line: string) {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}: ${JSON.stringify(parsed.errors)}`);
  return executeStep(page, parsed.steps[0]!, ctx);
}
const pressed = () => page.evaluate(() => (window as unknown as { pressed: string[] }).pressed);

async function subscribe() {
  const fill = await run('Fill "a@b.co" in the Email field');
  const click = await run("Click Subscribe");
  return { fill, click, out: await page.locator("#out").textContent() };
}

describe("a consent banner over the step's element", () => {
  it.each([
    [["Cookie settings", "Reject all", "Accept all cookies"], "Accept all cookies"],
    [["Deny", "Allow selection", "Allow all cookies"], "Allow all cookies"],
    [["Learn more →", "Disagree", "Agree and close"], "Agree and close"],
    [["MORE OPTIONS", "AGREE"], "AGREE"],
    [["Ablehnen", "Alle akzeptieren"], "Alle akzeptieren"],
    [["Paramétrer", "Tout accepter"], "Tout accepter"],
    [["Settings", "I accept"], "I accept"],
    [["Manage", "OK, got it"], "OK, got it"],
  ])("%j: pressing %s", async (buttons, expected) => {
    await page.setContent(FORM + banner(buttons));
    const r = await subscribe();
    expect(r.click, JSON.stringify(r.click)).toMatchObject({ status: "PASSED" });
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual([expected]);
  });

  it("a fixed banner with no z-index (painted above by coming later)", async () => {
    await page.setContent(FORM + banner(["Preferences", "Accept"], "position:fixed;inset:0;background:rgba(0,0,0,.5)"));
    const r = await subscribe();
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual(["Accept"]);
  });

  it("a banner built in an open shadow root", async () => {
    await page.setContent(`${FORM}<div id="cmp-root" style="position:fixed;inset:0;z-index:2147483647"></div><script>
(function () {
  var host = document.getElementById('cmp-root');
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML = '<div style="position:fixed;inset:0;background:rgba(0,0,0,.5)"><div role="dialog" style="background:#fff;margin:120px auto;width:420px;padding:16px"><p>We use cookies.</p><button>Settings</button><button>Deny</button><button>Accept All</button></div></div>';
  root.querySelectorAll('button').forEach(function (b) { b.onclick = function () { window.pressed.push(b.textContent); host.remove(); }; });
})();</script>`);
    const r = await subscribe();
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual(["Accept All"]);
  });

  it("a web-component app under a consent element whose fixed layer lives in its shadow root (the host is not positioned)", async () => {
    await page.setContent(`<main-app></main-app><consent-banner></consent-banner><script>window.pressed = [];
customElements.define("main-app", class extends HTMLElement { constructor() { super();
  this.attachShadow({ mode: "open" }).innerHTML = ${JSON.stringify(FORM.replace(/<script>.*<\/script>/, "").replace(/document\.getElementById\('(out|em)'\)/g, "this.getRootNode().getElementById('$1')"))}; } });
customElements.define("consent-banner", class extends HTMLElement { constructor() { super();
  const root = this.attachShadow({ mode: "open" });
  root.innerHTML = '<div class="veil" style="position:fixed;inset:0;z-index:10;background:rgba(0,0,0,.5)"><div role="dialog" style="background:#fff;margin:120px auto;width:420px;padding:16px"><p>We use cookies.</p><button>Settings</button><button>Accept all</button></div></div>';
  root.querySelectorAll("button").forEach((b) => { b.onclick = () => { window.pressed.push(b.textContent); this.remove(); }; }); } });
</script>`);
    const r = await subscribe();
    expect(r.fill, JSON.stringify(r.fill)).toMatchObject({ status: "PASSED" });
    expect(r.click, JSON.stringify(r.click)).toMatchObject({ status: "PASSED" });
    expect(await page.locator("#out").textContent()).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual(["Accept all"]);
  });

  it("a modal <dialog> opened inside a web component's shadow root makes the page inert until it is answered", async () => {
    await page.setContent(`${FORM}<cookie-dialog></cookie-dialog><script>
customElements.define("cookie-dialog", class extends HTMLElement { connectedCallback() {
  const root = this.attachShadow({ mode: "open" });
  root.innerHTML = '<dialog><p>We use cookies.</p><button>Reject all</button> <button>Accept all</button></dialog>';
  root.querySelectorAll("button").forEach((b) => { b.onclick = () => { window.pressed.push(b.textContent); root.querySelector("dialog").close(); }; });
  root.querySelector("dialog").showModal(); } });
</script>`);
    const r = await subscribe();
    expect(r.fill, JSON.stringify(r.fill)).toMatchObject({ status: "PASSED" });
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual(["Accept all"]);
  });

  it("a banner whose buttons live in an iframe", async () => {
    const inner = `<p>We and our partners store information on your device.</p><button>Options</button><button>ACCEPT ALL</button>
<script>document.querySelectorAll('button').forEach(function (b) { b.onclick = function () { parent.postMessage(b.textContent, '*'); }; });</script>`;
    await page.setContent(`${FORM}<div id="veil" style="position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.5)">
<iframe srcdoc="${inner.replace(/"/g, "&quot;")}" style="position:absolute;top:15%;left:20%;width:60%;height:50%;border:0;background:#fff"></iframe></div>
<script>addEventListener('message', function (e) { window.pressed.push(e.data); document.getElementById('veil').remove(); });</script>`);
    await page.waitForFunction(() => document.querySelector("iframe")?.contentDocument?.readyState === "complete");
    const r = await subscribe();
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual(["ACCEPT ALL"]);
  });

  it("a modal <dialog> that makes the form inert, even for typing", async () => {
    await page.setContent(`${FORM}<dialog id="d"><p>We use cookies.</p><form method="dialog"><button value="no" onclick="window.pressed.push('Reject all')">Reject all</button>
<button value="yes" onclick="window.pressed.push('Accept all')">Accept all</button></form></dialog><script>document.getElementById('d').showModal()</script>`);
    const r = await subscribe();
    expect(r.fill, JSON.stringify(r.fill)).toMatchObject({ status: "PASSED" });
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual(["Accept all"]);
  });
});

describe("what is not pressed", () => {
  it("a plain OK on a layer that is not a notice (it could confirm something): the step fails instead", async () => {
    await page.setContent(FORM + banner(["OK"], undefined, "Delete all your messages?"));
    const r = await subscribe();
    expect(r.click.status).toBe("FAILED");
    expect(r.out).toBe("");
    expect(await pressed()).toEqual([]);
  });

  it("Cancel is a way out of such a layer", async () => {
    await page.setContent(FORM + banner(["Cancel", "OK"], undefined, "Delete all your messages?"));
    const r = await subscribe();
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual(["Cancel"]);
  });

  it("a fixed app shell around the whole page is not an overlay, whatever buttons it holds", async () => {
    await page.setContent(`<div style="position:fixed;inset:0;overflow:auto"><header><button onclick="window.pressed.push('Close')">Close</button>
<button onclick="window.pressed.push('Accept')">Accept</button></header>${FORM}</div>`);
    expect(await findDismissButton(page, null)).toBeNull();
    const r = await subscribe();
    expect(r.out).toBe("Subscribed a@b.co");
    expect(await pressed()).toEqual([]);
  });
});

// Real Chromium: capture on v1 markup, change the page, capture candidates, and check that the scorer picks
// the right element — or refuses. Ground truth is a data-gt attribute that the capture never reads (a test
// below fails if any fingerprint mentions it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Fingerprint } from "@/domain/fingerprint";
import { captureCandidates, captureFingerprint, locatorForFingerprint } from "./fingerprint-capture";
import { chooseCandidate } from "./similarity";
import { testLaunchArgs } from "../../../../test/helpers/chromium";


let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: testLaunchArgs() });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
});

const CSS = `<style>body{font:16px sans-serif;margin:20px} .row{margin:12px 0} label{display:block}
input{width:240px;height:28px} button{padding:6px 14px}</style>`;

const LOGIN_V1 = `${CSS}<main><h1>Sign in</h1><p>Welcome back to the demo shop</p>
<form id="login">
  <div class="row"><label for="username">Username</label>
    <input id="username" name="username" class="form-control" placeholder="Your username" data-gt="gt-user"></div>
  <div class="row"><label for="password">Password</label>
    <input id="password" name="password" type="password" class="form-control" data-gt="gt-pass"></div>
  <button id="submit" class="btn btn-primary" type="submit" data-gt="gt-login">Log in</button>
  <a href="/forgot" data-gt="gt-forgot">Forgot password?</a>
</form></main>`;

// v2: generated ids, hashed classes, new wrappers, a new field on top, password before username, username
// labelled by a wrapping label, button text in upper case.
const LOGIN_V2 = `${CSS}<div id="app"><header><nav><a href="/">Home</a> <a href="/help">Help</a></nav></header>
<section class="Layout_main__9fQx2"><h1>Sign in</h1><p>Welcome back to the demo shop</p>
<form id="input-1201">
  <fieldset class="css-1q2w3e">
    <div class="Field_row__a8Kd2"><label for="input-339">Remember this device name</label>
      <input id="input-339" name="device" class="Field_input__b7Hh1" data-gt="gt-device"></div>
    <div class="Field_row__a8Kd2"><label for="input-340">Password</label>
      <input id="input-340" name="password" type="password" class="Field_input__b7Hh1" data-gt="gt-pass"></div>
    <div class="Field_row__a8Kd2"><label>Username
      <input id="input-341" name="username" class="Field_input__b7Hh1" placeholder="Your username" data-gt="gt-user"></label></div>
  </fieldset>
  <div class="Actions_bar__Zz81k"><button id=":r7:" class="Button_primary__3xYz1" type="submit" data-gt="gt-login">LOG IN</button>
  <a href="/forgot?ref=login" data-gt="gt-forgot">Forgot password?</a></div>
</form></section></div>`;

const DANGER_V1 = `${CSS}<main><h2>Account settings</h2>
<section id="danger"><h3>Danger zone</h3><p>Deleting your account cannot be undone.</p>
<button id="delete-account" class="btn btn-danger" data-gt="gt-delete-account">Delete account</button></section>
<section><h3>Items</h3><button class="btn" data-gt="gt-export">Export items</button></section></main>`;

// The delete-account button is truly gone; a look-alike danger button sits where it was.
const DANGER_V2 = `${CSS}<main><h2>Account settings</h2>
<section id="danger"><h3>Danger zone</h3><p>Deleting items cannot be undone.</p>
<button id="delete-items" class="btn btn-danger" data-gt="gt-delete-items">Delete all items</button></section>
<section><h3>Items</h3><button class="btn" data-gt="gt-export">Export items</button></section></main>`;

const SWAP_V1 = `${CSS}<form id="profile"><h2>Your profile</h2>
  <div class="row"><label for="f1">First name</label><input id="f1" name="first" data-gt="gt-first"></div>
  <div class="row"><label for="f2">Last name</label><input id="f2" name="last" data-gt="gt-last"></div>
  <button type="submit" data-gt="gt-save">Save</button></form>`;

// Fields swapped, ids swapped with them, so position, xpath AND id all point at the wrong field.
const SWAP_V2 = `${CSS}<form id="profile"><h2>Your profile</h2>
  <div class="row"><label for="f1">Last name</label><input id="f1" name="last" data-gt="gt-last"></div>
  <div class="row"><label for="f2">First name</label><input id="f2" name="first" data-gt="gt-first"></div>
  <button type="submit" data-gt="gt-save">Save</button></form>`;

async function truthOf(fp: Fingerprint): Promise<string | null> {
  const loc = locatorForFingerprint(page, fp);
  if (!loc) return null;
  return (await loc.getAttribute("data-gt"))?.replace(/^gt-/, "") ?? null;
}

async function heal(v1: string, selector: string, v2: string) {
  await page.setContent(v1);
  const target = await captureFingerprint(page.locator(selector));
  await page.setContent(v2);
  const candidates = await captureCandidates(page);
  const result = chooseCandidate(target, candidates);
  const chosen = result.index >= 0 ? candidates[result.index]! : null;
  return { target, candidates, result, chosen, truth: chosen ? await truthOf(chosen) : null };
}

describe("captureFingerprint", () => {
  it("captures Similo attributes, the accessible label and neighbour texts", async () => {
    await page.setContent(LOGIN_V1);
    const fp = await captureFingerprint(page.locator("#username"));
    expect(fp).toMatchObject({
      tag: "input", id: "username", name: "username", class: "form-control", type: "text", role: "textbox",
      placeholder: "Your username", label: "Username", visible: true,
      xpath: "/html[1]/body[1]/main[1]/form[1]/div[1]/input[1]",
      idxpath: '//*[@id="username"]',
    });
    expect(fp.text).toBeUndefined();
    expect(fp.width).toBeGreaterThan(200);
    expect(fp.area).toBeCloseTo(fp.width! * fp.height!, -1);
    expect(fp.shape).toBeCloseTo(fp.width! / fp.height!, 2);
    expect(fp.neighborText).toContain("Username");
    expect(fp.neighborText).toContain("Password");

    const button = await captureFingerprint(page.locator("button"));
    expect(button).toMatchObject({ tag: "button", type: "submit", text: "Log in", label: "Log in", role: "button", idxpath: '//*[@id="submit"]' });
  });

  it("anchors idxpath on a stable id only, and reads wrapping labels and aria-labelledby", async () => {
    await page.setContent(LOGIN_V2);
    const user = await captureFingerprint(page.locator('[name="username"]'));
    expect(user.label).toBe("Username");
    // input-341, input-1201 are generated; the nearest stable id is #app.
    expect(user.idxpath).toMatch(/^\/\/\*\[@id="app"\]\/section\[1\]\/form\[1\]\//);

    await page.setContent(`<span id="l1">Search</span> <span id="l2">products</span><input aria-labelledby="l1 l2">`);
    expect((await captureFingerprint(page.locator("input"))).label).toBe("Search products");
  });

  it("captureCandidates covers interactive elements, [role], cursor:pointer and open shadow roots, visible only", async () => {
    await page.setContent(`<button>One</button><a href="#">Two</a><div role="tab">Three</div>
      <div style="cursor:pointer" id="card"><span>Four</span></div><input type="hidden" name="h">
      <button style="display:none">Hidden</button><p>plain text</p><x-host></x-host>
      <script>customElements.define("x-host", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = '<button>Shadow</button>'; } });</script>`);
    const cands = await captureCandidates(page);
    expect(cands.map((c) => c.label ?? c.text)).toEqual(["One", "Two", "Three", "Four", "Shadow"]);
    expect(cands[4]!.xpath).toMatch(/#shadow-root\/button\[1\]$/);
    const inputsOnly = await captureCandidates(page, { tags: ["a"] });
    expect(inputsOnly.map((c) => c.tag)).toEqual(["a"]);
  });
  it("every candidate inside nested open shadow roots has a locator that finds it alone, and similarity relocates into one", async () => {
    // The form moved into <app-shell> > <profile-form>, each with its own shadow root; two of them with the same
    // inner structure, so the path must say which host.
    const field = (id: string, label: string, name: string) => `<div class="row"><label for="${id}">${label}</label><input id="${id}" name="${name}" data-gt="gt-${name}"></div>`;
    const form = (n: number) =>
      n === 1 ? `${field("f1", "First name", "first")}${field("f2", "Last name", "last")}<button type="submit" data-gt="gt-save">Save</button>`
        : `${field("f1", "Company", "company")}${field("f2", "VAT number", "vat")}<button type="submit" data-gt="gt-save-billing">Save billing</button>`;
    const v2 = `${CSS}<app-shell></app-shell><script>
      customElements.define("profile-form", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = '<form><h2>' + this.getAttribute("title") + '</h2>' + this.getAttribute("body") + '</form>'; } });
      customElements.define("app-shell", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = ${JSON.stringify(`<main><profile-form title="Billing contact" body='${form(2).replace(/'/g, "&#39;")}'></profile-form><profile-form title="Your profile" body='${form(1).replace(/'/g, "&#39;")}'></profile-form></main>`)}; } });
      </script>`;
    await page.setContent(v2);
    const cands = await captureCandidates(page);
    const inShadow = cands.filter((c) => c.xpath?.includes("#shadow-root"));
    expect(inShadow.length).toBeGreaterThanOrEqual(6);
    for (const c of inShadow) {
      const loc = locatorForFingerprint(page, c)!;
      expect(await loc.count()).toBe(1);
      expect(await captureFingerprint(loc).then((f) => f.xpath)).toBe(c.xpath);
    }
    const r = await heal(SWAP_V1, "#f2", v2);
    expect(r.truth).toBe("last");
  });

  it("only reads the page: no node is created, cloned, moved or removed while fingerprints are taken", async () => {
    // Creating nodes, even detached ones, makes Chromium drop every element's cached `labels` list, so a look
    // that cloned a label made the next getByLabel on a page with many buttons cost hundreds of milliseconds.
    await page.setContent(`${LOGIN_V2}<label>Email <b>address</b> <input name="email"><button type="button">?</button></label>`);
    await page.evaluate(() => {
      const w = window as unknown as { __writes: string[] };
      w.__writes = [];
      const spy = (proto: object, name: string) => {
        const orig = (proto as Record<string, (...a: unknown[]) => unknown>)[name]!;
        (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
          w.__writes.push(name);
          return orig.apply(this, args);
        };
      };
      for (const name of ["cloneNode", "appendChild", "insertBefore", "removeChild", "replaceChild"]) spy(Node.prototype, name);
      for (const name of ["remove", "setAttribute", "removeAttribute", "append", "prepend", "before", "after"]) spy(Element.prototype, name);
      for (const name of ["createElement", "importNode", "adoptNode"]) spy(Document.prototype, name);
    });
    const email = await captureFingerprint(page.locator('[name="email"]'));
    expect(email.label).toBe("Email address"); // the wrapping label's own text, without the controls it wraps
    await captureFingerprint(page.locator('[name="username"]'));
    await captureCandidates(page);
    expect(await page.evaluate(() => (window as unknown as { __writes: string[] }).__writes)).toEqual([]);
  });
});

describe("heal by similarity on real pages", () => {
  it("v1 → v2 (renamed ids/classes, wrappers, order): finds the username field", async () => {
    const { result, truth } = await heal(LOGIN_V1, "#username", LOGIN_V2);
    expect(result.reason).toBe("accepted");
    expect(truth).toBe("user");
  });

  it("v1 → v2: finds the password field, the log-in button and the link", async () => {
    for (const [sel, want] of [["#password", "pass"], ["#submit", "login"], ["a", "forgot"]] as const) {
      const { result, truth } = await heal(LOGIN_V1, sel, LOGIN_V2);
      expect(result.reason, sel).toBe("accepted");
      expect(truth, sel).toBe(want);
    }
  });

  it("decoy: the element is gone and a look-alike exists → no match (-1)", async () => {
    const { result, candidates } = await heal(DANGER_V1, "#delete-account", DANGER_V2);
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    expect(result.index).toBe(-1);
    expect(result.reason).not.toBe("accepted");
  });

  it("swapped fields: picks by label, not by position, xpath or id", async () => {
    const first = await heal(SWAP_V1, "#f1", SWAP_V2);
    expect(first.result.reason).toBe("accepted");
    expect(first.truth).toBe("first");
    const last = await heal(SWAP_V1, "#f2", SWAP_V2);
    expect(last.truth).toBe("last");
  });

  it("no fingerprint ever contains the ground-truth marker", async () => {
    for (const html of [LOGIN_V1, LOGIN_V2, DANGER_V1, DANGER_V2, SWAP_V1, SWAP_V2]) {
      await page.setContent(html);
      const json = JSON.stringify(await captureCandidates(page));
      expect(json).not.toMatch(/data-gt|gt-/);
    }
  });
});

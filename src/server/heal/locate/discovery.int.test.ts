// Discovery strategies on a real Chromium (page.setContent fixtures): each strategy finds its element, the
// selector it returns re-resolves with page.locator(), and ambiguity or invisibility is rejected.
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import type { Target } from "@/domain/step";
import { discoverElement, discoverOnce } from "./discovery";
import { parseSteps } from "../../steps/step-parser";
import { labelStrategy } from "./strategies/label";
import { nameAttrStrategy } from "./strategies/name-attr";
import { placeholderStrategy } from "./strategies/placeholder";
import { roleNameStrategy } from "./strategies/role-name";
import { textStrategy } from "./strategies/text";
import { useTestBrowser } from "../../../../test/helpers/browser";


const browser = useTestBrowser();
let page: Page;

beforeEach(async () => {
  page = await browser().newPage();
});

const t = (name: string, extra: Partial<Target> = {}): Target => ({ name, exact: false, ...extra });

const FORM = `
  <form>
    <label for="u">Username</label><input id="u" name="user">
    <label>Password <input type="password" id="p"></label>
    <input placeholder="Search products">
    <input aria-label="Hidden field" style="display:none">
    <button type="submit">Log in</button>
    <a href="#help">Help</a>
    <div class="fake" onclick="this.textContent='clicked'">Styled div</div>
  </form>`;

describe("strategies", () => {
  it("label finds a for= label and a wrapping label, and the selector re-resolves", async () => {
    await page.setContent(FORM);
    const [c] = await labelStrategy.find(page, t("Username"), "fill");
    expect(c).toMatchObject({ accepted: true, selector: 'internal:label="Username"s', count: 1 });
    expect(await page.locator(c!.selector).getAttribute("id")).toBe("u");
    const pw = (await labelStrategy.find(page, t("password"), "fill")).find((x) => x.accepted);
    expect(pw?.selector).toMatch(/^internal:label=\/\^/); // case-insensitive whole-name form
    expect(await page.locator(pw!.selector).getAttribute("id")).toBe("p");
  });

  it("placeholder finds an input by its placeholder, exact before contains", async () => {
    await page.setContent(FORM);
    const exact = (await placeholderStrategy.find(page, t("Search products"), "fill")).find((c) => c.accepted);
    expect(exact?.selector).toBe('internal:attr=[placeholder="Search products"s]');
    const partial = (await placeholderStrategy.find(page, t("search"), "fill")).find((c) => c.accepted);
    expect(partial?.nameMatch).toBe("contains");
    expect(await page.locator(partial!.selector).getAttribute("placeholder")).toBe("Search products");
    expect(partial!.score).toBeLessThan(exact!.score);
  });

  it("role-name honours the kind: a button, a link, a field", async () => {
    await page.setContent(FORM);
    const btn = (await roleNameStrategy.find(page, t("Log in", { kind: "button" }), "click")).find((c) => c.accepted);
    expect(btn?.selector).toBe('internal:role=button[name="Log in"s]');
    const link = (await roleNameStrategy.find(page, t("Help", { kind: "link" }), "click")).find((c) => c.accepted);
    expect(link?.code).toBe('getByRole("link", { name: "Help", exact: true })');
    expect(await roleNameStrategy.find(page, t("Log in", { kind: "field" }), "click")).toSatisfy((cs: { accepted: boolean }[]) => cs.every((c) => !c.accepted));
  });

  it("a button and a link stand in for each other, after the kind's own role, and an exact name beats the type word", async () => {
    await page.setContent(`<header><a href="/cart"><svg width="10" height="10"></svg><span style="position:absolute;clip:rect(0 0 0 0)">Cart</span></a>
      <a class="btn" href="/login">Sign in</a></header>
      <main><button>Add to cart</button><button>Sign in with Google</button><a href="/help">Help</a><button>Help</button></main>`);
    const pick = async (name: string, kind: "button" | "link") => {
      const d = await discoverOnce(page, t(name, { kind }), "click");
      return d.found ? d.candidate.selector : null;
    };
    expect(await pick("Cart", "button")).toBe('internal:role=link[name="Cart"s]');
    expect(await pick("Sign in", "button")).toBe('internal:role=link[name="Sign in"s]');
    expect(await pick("Help", "button")).toBe('internal:role=button[name="Help"s]');
    expect(await pick("Help", "link")).toBe('internal:role=link[name="Help"s]');
  });

  it("an element named by its whole name beats one whose name only contains the words, whatever the strategy", async () => {
    await page.setContent(`<header><input placeholder="Search" name="q"></header>
      <aside><label for="kw">Search within results</label><input id="kw"></aside>
      <form><input type="checkbox" id="save"><label for="save">Save this card for future purchases</label><button type="button">Save</button></form>`);
    const search = await discoverOnce(page, t("Search", { kind: "field" }), "fill");
    expect(search.found && (await page.locator(search.candidate.selector).getAttribute("name"))).toBe("q");
    expect(search.found && search.candidate.nameMatch).toBe("exact");
    const save = await discoverOnce(page, t("Save"), "click");
    expect(save.found && save.candidate.selector).toBe('internal:role=button[name="Save"s]');
    // Only a longer name on the page: "contains" still finds it, in the second round.
    const within = await discoverOnce(page, t("within results", { kind: "field" }), "fill");
    expect(within.found && within.candidate.nameMatch).toBe("contains");
    expect(within.found && (await page.locator(within.candidate.selector).getAttribute("id"))).toBe("kw");
  });

  it("text is no control: a switch, a checkbox or an editor is found next to the text that names it", async () => {
    await page.setContent(`<div class="settings"><div class="row"><span>Dark mode</span><button role="switch" aria-checked="false" id="sw"></button></div>
        <div class="row"><span>Compact view</span><button role="switch" aria-checked="false"></button></div></div>
      <ul class="todo"><li><input class="toggle" type="checkbox" id="milk"><label>Buy milk</label><button class="destroy"></button></li>
        <li><input class="toggle" type="checkbox"><label>Buy eggs</label><button class="destroy"></button></li></ul>
      <form><div class="form-label">Message <span>*</span></div><div class="editor" contenteditable="true" id="ed"><p><br></p></div>
        <div class="form-label">Your email</div><input type="email" name="reply_to">
        <div class="f"><input placeholder=" " id="fe"><span>Email</span></div><div class="f"><input type="password" placeholder=" "><span>Password</span></div></form>`);
    const idOf = async (name: string, action: "click" | "check" | "fill", kind?: "switch") => {
      const d = await discoverOnce(page, t(name, kind ? { kind } : {}), action);
      return d.found ? page.locator(d.candidate.selector).getAttribute("id") : `not found: ${d.message}`;
    };
    expect(await idOf("Dark mode", "click", "switch")).toBe("sw");
    expect(await idOf("Dark mode", "check")).toBe("sw");
    expect(await idOf("Buy milk", "check")).toBe("milk");
    expect(await idOf("Message", "fill")).toBe("ed");
    expect(await idOf("Email", "fill")).toBe("fe");
  });

  it("several matches, one a person can use: the one in the open modal, the one not moved off the page", async () => {
    await page.setContent(`<form><input name="title"><button type="button" id="form-cancel">Cancel</button></form>
      <div class="modal-backdrop" style="position:fixed;inset:0;background:#0005"></div>
      <div class="modal" role="dialog" aria-modal="true" style="position:fixed;top:80px;left:80px;background:#fff;padding:20px">
        <p>Discard changes?</p><button type="button" id="modal-cancel">Cancel</button><button type="button">Discard</button></div>
      <nav class="offcanvas" style="position:fixed;top:0;left:0;width:260px;transform:translateX(-100%)"><a href="/pricing" id="mobile">Pricing</a></nav>
      <nav><a href="/pricing" id="desktop">Pricing</a></nav>`);
    const cancel = await discoverOnce(page, t("Cancel"), "click");
    expect(cancel.found && (await page.locator(cancel.candidate.selector).getAttribute("id"))).toBe("modal-cancel");
    expect(cancel.found && cancel.candidate.stable).toBe(true); // inside the open modal: cacheable
    // Nothing behind the modal is usable while it is open.
    expect((await discoverOnce(page, t("Pricing", { kind: "link" }), "click")).found).toBe(false);
    await page.evaluate(() => document.querySelectorAll(".modal, .modal-backdrop").forEach((e) => e.remove()));
    const formCancel = await discoverOnce(page, t("Cancel"), "click");
    expect(formCancel.found && (await page.locator(formCancel.candidate.selector).getAttribute("id"))).toBe("form-cancel");
    const pricing = await discoverOnce(page, t("Pricing", { kind: "link" }), "click");
    expect(pricing.found && (await page.locator(pricing.candidate.selector).getAttribute("id"))).toBe("desktop");
    // Both links on the page: a real ambiguity.
    await page.evaluate(() => ((document.querySelector(".offcanvas") as HTMLElement).style.transform = "none"));
    expect((await discoverOnce(page, t("Pricing", { kind: "link" }), "click")).found).toBe(false);
  });

  it("text finds an element without a role; never offers text for fill", async () => {
    await page.setContent(FORM);
    const c = (await textStrategy.find(page, t("Styled div"), "click")).find((x) => x.accepted);
    expect(c?.selector).toBe('internal:text="Styled div"s');
    expect(await textStrategy.find(page, t("Styled div"), "fill")).toEqual([]);
  });

  it("says how the step's own name matched, and only for forms built from that name", async () => {
    await page.setContent(`<form>
      <label for="e">Email address *</label><input id="e" name="email">
      <label for="h">Password hint</label><input id="h" name="hint">
      <input type="search" aria-label="Search products" name="q">
      <button aria-label="Search"><svg width="10" height="10"></svg></button>
    </form>`);
    const found = async (name: string, action: "fill" | "click", opts = {}) =>
      (await discoverOnce(page, t(name), action, { wholeNameOnly: true, ...opts })) as { found: boolean; candidate?: { nameMatch?: string; strategy: string } };
    expect((await found("Search products", "fill")).candidate).toMatchObject({ nameMatch: "exact" });
    expect((await found("search", "click")).candidate).toMatchObject({ nameMatch: "exact-ci" });
    expect((await found("Email Address", "fill")).candidate).toMatchObject({ nameMatch: "normalized" });
    // A name that only contains the step's words is not found when whole names are required.
    expect((await found("Password", "fill")).found).toBe(false);
    // A form built from a stored attribute value (the heal hint), not from the step's name, carries no nameMatch.
    const [byAttr] = (await nameAttrStrategy.find(page, t("Something else"), "fill", { requireVisible: true, hint: { name: "email" } as never })).filter((c) => c.accepted);
    expect(byAttr).toMatchObject({ accepted: true });
    expect(byAttr?.nameMatch).toBeUndefined();
  });
});

describe("discovery", () => {
  it("in a row, also finds the action named with the row's own name (an icon button labelled \"Edit Bob\")", async () => {
    await page.setContent(`<table>
<tr><td>Alice</td><td><button aria-label="Edit Alice" id="ea">✎</button><button aria-label="Delete Alice permanently" id="da">🗑</button></td></tr>
<tr><td>Bob</td><td><button aria-label="bob edit" id="eb">✎</button><button aria-label="Delete Bob permanently" id="db">🗑</button></td></tr>
</table>`);
    const find = async (line: string, wholeNameOnly: boolean) => {
      const parsed = parseSteps(line);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const d = await discoverOnce(page, parsed.steps[0]!.target!, "click", { wholeNameOnly });
      return d.found ? { id: await page.locator(d.candidate.selector).getAttribute("id"), nameMatch: d.candidate.nameMatch } : null;
    };
    expect(await find('Click Edit in row "Alice"', true)).toMatchObject({ id: "ea", nameMatch: "exact-ci" });
    expect(await find('Click Edit in row "Bob"', true)).toMatchObject({ id: "eb" });
    // More words than the action and the row's name: whole names only (a heal) do not take it.
    expect(await find('Click Delete in row "Bob"', true)).toBeNull();
  });

  it("'in the dialog' means the open dialog whatever its title; a trailing parenthetical is part of no name", async () => {
    await page.setContent(`<dialog open aria-labelledby="t"><h2 id="t">Sign in to Acme</h2><label for="e">Email</label><input id="e"></dialog>
<label for="e2">Email</label><input id="e2">
<fieldset><legend>Shipping</legend><label><input type="radio" name="s" id="std"> Standard (3-5 days)</label><label><input type="radio" name="s" id="exp"> Express (1 day)</label></fieldset>`);
    const idOf = async (line: string, action: "fill" | "check") => {
      const parsed = parseSteps(line);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const d = await discoverOnce(page, parsed.steps[0]!.target!, action, { wholeNameOnly: true });
      return d.found ? `${await page.locator(d.candidate.selector).getAttribute("id")} ${d.candidate.nameMatch}` : "not found";
    };
    expect(await idOf('Fill "x" in the Email field in the dialog', "fill")).toBe("e exact");
    expect(await idOf("Check Express", "check")).toBe("exp normalized");
  });

  it("scopes to the page's landmarks: the one Contact link in the footer, in the header, in the navigation", async () => {
    await page.setContent(`<header><a href="/">Acme</a><nav><a href="#p">Pricing</a><a href="#c" id="c-head">Contact</a></nav></header>
<main><p>Questions? <a href="#c" id="c-main">Contact</a> us.</p></main>
<footer><nav aria-label="Footer"><a href="#c" id="c-foot">Contact</a><a href="#priv">Privacy</a></nav></footer>`);
    const idOf = async (line: string) => {
      const parsed = parseSteps(line);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const d = await discoverElement(page, parsed.steps[0]!.target!, "click", { timeoutMs: 500 });
      return d.found ? `${await page.locator(d.candidate.selector).getAttribute("id")} via ${d.candidate.selector}` : `not found: ${d.message}`;
    };
    expect(await idOf("Click Contact")).toMatch(/not found: .*ambiguous/);
    expect(await idOf("Click Contact in the footer")).toMatch(/^c-foot /);
    expect(await idOf("Click Contact in the header")).toMatch(/^c-head /);
    expect(await idOf("Click Contact in the main content")).toMatch(/^c-main /);
    // Two navigation landmarks are searched together; the name picks the Footer one.
    expect(await idOf("Click Contact in the Footer navigation")).toMatch(/^c-foot /);
    expect(await idOf("Click Contact in the navigation")).toMatch(/not found: .*ambiguous/);
    expect(await idOf("Click Pricing in the navigation")).not.toMatch(/not found/);
  });

  it("returns the first unique candidate and what was tried", async () => {
    await page.setContent(FORM);
    const r = await discoverOnce(page, t("Log in", { kind: "button" }), "click");
    expect(r.found).toBe(true);
    if (!r.found) return;
    expect(r.candidate.strategy).toBe("role-name");
    expect(r.tried.map((x) => x.strategy)).toEqual(["label", "role-name"]);
    await page.locator(r.candidate.selector).click();
  });

  it("reads 'First name' as a label before reading 'first' as an ordinal", async () => {
    await page.setContent(`<label>Last name <input id="last"></label><label>First name <input id="first"></label>
      <button>Buy</button><button>Buy</button>`);
    const parsed = parseSteps('Fill "Ada" in the First name field\nClick the first Buy button');
    if (!parsed.ok) throw new Error("does not parse");
    const [fill, click] = parsed.steps;
    const r = await discoverOnce(page, fill!.target!, "fill");
    expect(r.found).toBe(true);
    if (!r.found) return;
    expect(await page.locator(r.candidate.selector).getAttribute("id")).toBe("first");
    // No element is called "first Buy": the word is an ordinal there.
    const c = await discoverOnce(page, click!.target!, "click");
    expect(c.found && c.candidate.selector.endsWith(">> nth=0")).toBe(true);
  });

  it("never reads 'First name' as 'the first field whose label holds name', and two First name fields are ambiguous", async () => {
    const steps = (text: string) => {
      const parsed = parseSteps(text);
      if (!parsed.ok) throw new Error("does not parse");
      return parsed.steps.map((s) => s.target!);
    };
    const [first, last] = steps('Fill "Ann" in the First name field\nFill "Lee" in the Last name field');
    // No field is labelled First name or Last name: nothing is found (Company name and Full name hold "name").
    await page.setContent(`<label for="co">Company name</label><input id="co"><label for="full">Full name</label><input id="full">`);
    for (const target of [first!, last!]) expect((await discoverOnce(page, target, "fill")).found).toBe(false);
    // Billing and shipping copies: ambiguous, not the first one.
    await page.setContent(`<fieldset><legend>Billing</legend><label>First name <input id="b"></label></fieldset>
      <fieldset><legend>Shipping</legend><label>First name <input id="s"></label></fieldset>`);
    const r = await discoverOnce(page, first!, "fill");
    expect(r.found).toBe(false);
    if (!r.found) expect(r.message).toMatch(/ambiguous/);
    // An ordinal before a name of several words may still match names that hold it ("Read more about …").
    await page.setContent(`<a href="#a" id="a">Read more about pricing</a><a href="#b" id="b">Read more about teams</a>`);
    const [more] = steps("Click the first Read more link");
    const m = await discoverOnce(page, more!, "click");
    expect(m.found && (await page.locator(m.candidate.selector).getAttribute("id"))).toBe("a");
  });

  it("reads a type word at the end of a phrase with no article as part of the name first ('Click Open menu')", async () => {
    const [open, insert, submit] = (() => {
      const parsed = parseSteps('Click Open menu in the row "TASK-7839"\nClick Insert link\nClick Submit button');
      if (!parsed.ok) throw new Error("does not parse");
      return parsed.steps.map((s) => s.target!);
    })();
    // shadcn's row menu: a status badge "Open" and a button named "Open menu" (screen-reader text) in one row.
    await page.setContent(`<table><tbody><tr><td>TASK-7839</td><td><span class="badge" id="badge">Open</span></td>
      <td><button id="menu" aria-haspopup="menu"><span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)">Open menu</span>⋯</button></td></tr></tbody></table>`);
    const o = await discoverOnce(page, open!, "click");
    expect(o.found && (await page.locator(o.candidate.selector).getAttribute("id"))).toBe("menu");
    // Icon buttons named with their shortcut: "Insert link" is the link button, not an ambiguous "Insert".
    await page.setContent(`<button aria-label="Insert image (Ctrl+Alt+I)" id="img">🖼</button><button aria-label="Insert link (Ctrl+K)" id="lnk">🔗</button>`);
    const i = await discoverOnce(page, insert!, "click");
    expect(i.found && (await page.locator(i.candidate.selector).getAttribute("id"))).toBe("lnk");
    // Nothing is called "Submit button": the last word is the type, as before.
    await page.setContent(`<button id="go">Submit</button><a href="#x">Submit feedback</a>`);
    const s = await discoverOnce(page, submit!, "click");
    expect(s.found && (await page.locator(s.candidate.selector).getAttribute("id"))).toBe("go");
  });

  it("rejects an ambiguous name and says so", async () => {
    await page.setContent(`<button>Delete</button><button>Delete</button>`);
    const r = await discoverOnce(page, t("Delete"), "click");
    expect(r.found).toBe(false);
    if (r.found) return;
    expect(r.message).toMatch(/ambiguous: .*matched 2/);
  });

  it("makes an ambiguous name unique with an ordinal (last = -1)", async () => {
    await page.setContent(`<button id="a">Delete</button><button id="b">Delete</button>`);
    const r = await discoverOnce(page, t("Delete", { ordinal: -1 }), "click");
    expect(r.found && r.candidate.selector.endsWith(">> nth=-1")).toBe(true);
    if (!r.found) return;
    expect(r.candidate.code).toMatch(/\.last\(\)$/);
    expect(await page.locator(r.candidate.selector).getAttribute("id")).toBe("b");
  });

  it("rejects an invisible element and a non-editable one for fill", async () => {
    await page.setContent(FORM);
    expect((await discoverOnce(page, t("Hidden field"), "fill")).found).toBe(false);
    await page.setContent(`<div aria-label="Notes">not a field</div>`);
    const r = await discoverOnce(page, t("Notes"), "fill");
    expect(r.found).toBe(false);
  });

  it("a fill skips a checkbox whose label is the field's name for the field whose label holds it", async () => {
    // GOV.UK: "How would you like to be contacted?" offers an Email checkbox; the email field is asked for below.
    await page.setContent(`<fieldset><legend>How would you like to be contacted?</legend>
      <input type="checkbox" id="c-email"><label for="c-email">Email</label>
      <input type="checkbox" id="c-phone"><label for="c-phone">Phone</label></fieldset>
      <label for="email">Email address</label><input type="email" id="email">`);
    const r = await discoverOnce(page, t("Email", { kind: "field" }), "fill");
    expect(r.found && (await page.locator(r.candidate.selector).getAttribute("id"))).toBe("email");
    const check = await discoverOnce(page, t("Email"), "check");
    expect(check.found && (await page.locator(check.candidate.selector).getAttribute("id"))).toBe("c-email");
  });

  it("a click means the table of contents' numbered link, not the heading it jumps to", async () => {
    await page.setContent(`<nav id="toc"><ul><li><a href="#Early"><span>1</span> <span>Early life</span></a></li>
      <li><a href="#Career" id="toc-career"><span>2</span> <span>Career and research</span></a></li></ul></nav>
      <h2 id="Early">Early life</h2><p>…</p><h2 id="Career">Career and research</h2><p>…</p>`);
    const r = await discoverOnce(page, t("Career and research"), "click");
    expect(r.found && (await page.locator(r.candidate.selector).getAttribute("id"))).toBe("toc-career");
    // With a type word, the heading is what was asked for.
    const h = await discoverOnce(page, t("Career and research", { kind: "heading" }), "waitFor");
    expect(h.found && (await page.locator(h.candidate.selector).getAttribute("id"))).toBe("Career");
    // And a heading alone is still clicked when nothing else has the name.
    await page.setContent(`<h2 id="only">Career and research</h2><a href="#x">Other</a>`);
    const alone = await discoverOnce(page, t("Career and research"), "click");
    expect(alone.found && (await page.locator(alone.candidate.selector).getAttribute("id"))).toBe("only");
  });

  it("uses an override as given", async () => {
    await page.setContent(`<button data-testid="go">Continue</button><input class="q">`);
    const r = await discoverOnce(page, t("x", { override: { type: "testid", testId: "go" } }), "click");
    expect(r.found && r.candidate.strategy).toBe("override");
    const css = await discoverOnce(page, t("x", { override: { type: "css", selector: "input.q" } }), "fill");
    expect(css.found && css.candidate.selector).toBe("input.q");
  });

  it("scopes to a region (… in the Login dialog)", async () => {
    await page.setContent(`<button>Save</button><div role="dialog" aria-label="Login"><button id="in">Save</button></div>`);
    const r = await discoverOnce(page, t("Save", { within: { kind: "dialog", name: "Login" } }), "click");
    expect(r.found).toBe(true);
    if (!r.found) return;
    expect(await page.locator(r.candidate.selector).getAttribute("id")).toBe("in");
  });

  it("stops waiting when told the element will not show by itself (a closed menu)", async () => {
    await page.setContent(`<button aria-controls="m" aria-expanded="false">Menu</button><ul id="m" hidden><li><a href="#p">Pricing</a></li></ul>`);
    let asked = 0;
    const r = await discoverElement(page, t("Pricing"), "click", { timeoutMs: 30_000, giveUpWhen: async () => ++asked >= 1 });
    expect(r.found).toBe(false);
    expect(asked).toBe(1);
    if (!r.found) expect(r.message).not.toMatch(/after 30000 ms/);
  });

  it("waits for an element that appears later, and times out with a clear message", async () => {
    await page.setContent(`<script>setTimeout(() => document.body.innerHTML = '<button>Late</button>', 300)</script>`);
    const r = await discoverElement(page, t("Late"), "click", { timeoutMs: 3000 });
    expect(r.found).toBe(true);
    const miss = await discoverElement(page, t("Nowhere"), "click", { timeoutMs: 400 });
    expect(miss.found).toBe(false);
    if (!miss.found) expect(miss.message).toMatch(/No unique visible element for "Nowhere".*after 400 ms/);
  });
});

// Region scoping on a real Chromium (page.setContent fixtures shaped like real markup): a section whose title
// sits in a child element or is no heading at all, a row named by one of its cells, a list item as a row. Each
// case picks one element inside the right region, its selector and its @playwright/test code both re-resolve to
// that element, and a name that is only part of a title, cell or item finds no region. A section named by some
// words of its heading ("Shipping" for "Shipping address") is filled through the executor, checked by value.
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import type { Region } from "@/domain/step";
import { testLaunchArgs } from "../../../../test/helpers/chromium";
import { discoverOnce } from "./discovery";
import { executeStep } from "../act/executor";
import { resolveRegion } from "./region";
import { parseSteps } from "../../steps/step-parser";

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: testLaunchArgs() });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page.close();
});

const section = (name: string): Region => ({ kind: "section", name });
const row = (name: string): Region => ({ kind: "row", name });

/** The id of the element the step finds; its selector and its generated code must both point at it. */
async function found(text: string): Promise<string | null> {
  const parsed = parseSteps(text);
  if (!parsed.ok) throw new Error(`unparsed step: ${text}`);
  const [step] = parsed.steps;
  expect(step?.target?.within).toBeDefined();
  const r = await discoverOnce(page, step!.target!, step!.action);
  if (!r.found) return null;
  const { selector, code } = r.candidate;
  const bySelector = page.locator(selector);
  expect(await bySelector.count()).toBe(1);
  const byCode = new Function("page", `return page.${code};`)(page) as ReturnType<Page["locator"]>;
  expect(await byCode.count()).toBe(1);
  const handle = await bySelector.elementHandle();
  expect(await byCode.evaluate((el, other) => el === other, handle)).toBe(true);
  return bySelector.getAttribute("id");
}

/** The region's id (or class when it has none), null when no region resolves. */
async function regionOf(within: Region): Promise<string | null> {
  const r = await resolveRegion(page, within);
  if (!r) return null;
  return page.locator(r.selector).evaluate((el) => el.id || el.className);
}

const CARDS = ["Basic Tee", "Canvas Tote", "Canvas Tote Deluxe", "Mini Canvas Tote"]
  .map(
    (name, i) => `<li><div class="card"><div class="card__media"><img alt="" width="20" height="20"></div>
      <div class="card__content"><div class="card__information"><h3><a href="#p${i}">${name}</a></h3><div class="price">$${20 + i}</div></div>
      <div class="quick-add"><button id="add-${i}">Add to cart</button></div></div></div></li>`,
  )
  .join("");

describe("a section titled by a heading whose text sits in a child element", () => {
  it("finds the card whose heading link says the name, among cards with similar names", async () => {
    await page.setContent(`<h2>Featured</h2><ul>${CARDS}</ul>`);
    expect(await found("Click the Add to cart button in the Canvas Tote section")).toBe("add-1");
    expect(await found("Click the Add to cart button in the canvas tote deluxe section")).toBe("add-2");
    expect(await found("Click Add to cart in the Mini Canvas Tote section")).toBe("add-3");
  });

  it("finds no region when the name is only part of a heading", async () => {
    await page.setContent(`<ul>${CARDS}</ul>`);
    expect(await regionOf(section("Canvas"))).toBeNull();
    expect(await regionOf(section("Tote"))).toBeNull();
    expect(await found("Click Add to cart in the Canvas section")).toBeNull();
  });

  it("reads a heading through a link or a span", async () => {
    await page.setContent(`
      <article><h2><a href="#">Getting started</a></h2><p>Intro</p><button id="like-gs">Like</button></article>
      <article><h2><a href="#">Release notes</a></h2><p>What's new</p><button id="like-rn">Like</button></article>
      <div class="step"><h3 class="title"><span>Shipping</span></h3><button id="c-ship">Continue</button></div>
      <div class="step"><h3 class="title">Payment</h3><button id="c-pay">Continue</button></div>`);
    expect(await found("Click the Like button in the Release notes section")).toBe("like-rn");
    expect(await found("Click Continue in the Shipping section")).toBe("c-ship");
    expect(await found("Click Continue in the Payment section")).toBe("c-pay");
  });

  it("never takes a title wrapper holding the heading alone as the region", async () => {
    await page.setContent(`
      <section id="ship"><div class="title"><h2>Shipping</h2></div><form><button id="save-ship">Save</button></form></section>
      <section id="bill"><div class="title"><h2>Billing</h2></div><form><button id="save-bill">Save</button></form></section>`);
    expect(await regionOf(section("Shipping"))).toBe("ship");
    expect(await found("Click Save in the Billing section")).toBe("save-bill");
  });

  it("keeps a section with sub-sections whole, and each sub-section to itself", async () => {
    await page.setContent(`
      <section id="account"><div class="title"><h2>Account</h2></div>
        <div id="pw"><h3>Password</h3><button id="save-pw">Save</button></div>
        <div id="mail"><h3>Email</h3><button id="save-mail">Save</button></div>
        <button id="delete">Delete account</button></section>`);
    expect(await regionOf(section("Account"))).toBe("account");
    expect(await found("Click Delete account in the Account section")).toBe("delete");
    expect(await found("Click Save in the Email section")).toBe("save-mail");
    expect(await found("Click Save in the Account section")).toBeNull(); // two Saves in it
    await page.setContent(`
      <section id="prefs"><div class="title"><h2>Preferences</h2></div>
        <div><h3>Theme</h3><button id="dark">Dark</button></div><div><h3>Language</h3><button id="en">English</button></div></section>
      <section><h2>Other</h2><button>English</button></section>`);
    expect(await found("Click English in the Preferences section")).toBe("en");
  });
});

describe("a section titled by its first child, not a heading", () => {
  const PRICING = ["Free", "Pro", "Pro Plus"]
    .map(
      (name, i) => `<div class="col"><div class="card"><div class="card-header">${name}</div><div class="card-body">
        <h1 class="card-title">$${i * 15}<small>/mo</small></h1><ul><li>${10 * (i + 1)} users</li></ul>
        <button id="signup-${i}">Sign up</button></div></div></div>`,
    )
    .join("");

  it("finds the card whose header says the name as a whole", async () => {
    await page.setContent(`<div class="row">${PRICING}</div>`);
    expect(await found("Click the Sign up button in the Pro section")).toBe("signup-1");
    expect(await found("Click Sign up in the pro plus section")).toBe("signup-2");
    expect(await regionOf(section("Plus"))).toBeNull();
  });

  it("does not take a wrapper around the title alone", async () => {
    await page.setContent(`<div id="box"><div class="head"><span>Pro</span></div><div><button id="go">Sign up</button></div></div>`);
    expect(await regionOf(section("Pro"))).toBe("box");
  });
});

describe("a row named by a cell", () => {
  const TABLE = `<table><thead><tr><th>Name</th><th>Email</th><th>Manager</th><th>Actions</th></tr></thead><tbody>
    <tr><td>Alice</td><td>alice@example.com</td><td>-</td><td><button id="edit-alice">Edit</button><button id="del-alice">Delete</button></td></tr>
    <tr><td>Bob</td><td>bob@example.com</td><td>Alice</td><td><button id="edit-bob">Edit</button><button id="del-bob">Delete</button></td></tr>
    <tr><td>Bobby</td><td>bobby@example.com</td><td>Alice</td><td><button id="edit-bobby">Edit</button><button id="del-bobby">Delete</button></td></tr>
    </tbody></table>`;

  it("takes the row with a cell saying the name as a whole, not a row that merely contains it", async () => {
    await page.setContent(TABLE);
    expect(await found('Click the Delete button in the row "Bob"')).toBe("del-bob");
    expect(await found('Click Delete in the row "bob"')).toBe("del-bob");
    expect(await found('Click Edit in the row "bobby@example.com"')).toBe("edit-bobby");
  });

  it("prefers the row whose first cell is the name over one that names it in another column", async () => {
    await page.setContent(TABLE);
    expect(await found('Click Edit in the row "Alice"')).toBe("edit-alice");
  });

  it("reads a cell through a link and an ARIA grid's cells", async () => {
    await page.setContent(`
      <div role="grid"><div role="row"><div role="gridcell"><a href="#">Carol</a></div><div role="gridcell"><button id="x-carol">Remove</button></div></div>
      <div role="row"><div role="gridcell"><a href="#">Caroline</a></div><div role="gridcell"><button id="x-caroline">Remove</button></div></div></div>`);
    expect(await found('Click Remove in the row "Carol"')).toBe("x-carol");
  });

  it("still falls back to a row that contains the name when no cell says it", async () => {
    await page.setContent(TABLE);
    expect(await found('Click Delete in the row "bobby@"')).toBe("del-bobby");
    expect(await regionOf(row("example.com"))).toBeNull(); // every row contains it
  });
});

describe("a list item as a row", () => {
  const TODOS = `<section><ul class="todo-list">
    <li><div class="view"><input class="toggle" type="checkbox" id="cb-milk"><label>Buy milk</label><button class="destroy" id="x-milk" aria-label="Delete"></button></div></li>
    <li><div class="view"><input class="toggle" type="checkbox" id="cb-eggs"><label>Buy eggs</label><button class="destroy" id="x-eggs" aria-label="Delete"></button></div></li>
    <li><div class="view"><input class="toggle" type="checkbox" id="cb-eggs2"><label>Buy eggs and ham</label></div></li>
    </ul></section>`;

  it("finds the checkbox in the item whose text is the name", async () => {
    await page.setContent(TODOS);
    expect(await found('Click the checkbox in the row "Buy eggs"')).toBe("cb-eggs");
    expect(await found('Check the checkbox in the row "buy milk"')).toBe("cb-milk");
    expect(await found('Click the Delete button in the row "Buy eggs"')).toBe("x-eggs");
  });

  it("finds no item by part of its text", async () => {
    await page.setContent(TODOS);
    expect(await regionOf(row("Buy"))).toBeNull();
    expect(await regionOf(row("eggs"))).toBeNull();
  });

  it("prefers a table row to a list item", async () => {
    await page.setContent(`<ul><li>Bob</li></ul><table><tr id="r"><td>Bob</td><td><button>Edit</button></td></tr></table>`);
    expect(await regionOf(row("Bob"))).toBe("r");
  });
});

describe("sections named by titles that are not headings of a plain container", () => {
  // Angular Material cards: custom elements, the title in a header block, the actions in a sibling block.
  const MAT = ["Akita", "Shiba Inu", "Beagle"]
    .map((name, i) => `<mat-card class="mat-mdc-card"><mat-card-header class="mat-mdc-card-header"><div class="mat-mdc-card-avatar"></div>
      <div class="mat-mdc-card-header-text"><mat-card-title class="mat-mdc-card-title">${name}</mat-card-title><mat-card-subtitle class="mat-mdc-card-subtitle">Dog breed</mat-card-subtitle></div></mat-card-header>
      <mat-card-content class="mat-mdc-card-content"><p>A loyal dog.</p></mat-card-content>
      <mat-card-actions class="mat-mdc-card-actions">${i === 2 ? "" : `<button id="like-${i}">LIKE</button>`}<button id="share-${i}">SHARE</button></mat-card-actions></mat-card>`)
    .join("");

  it("a card's title in its header block names the whole card, never the grid around it", async () => {
    await page.setContent(`<div class="grid">${MAT}</div>`);
    expect(await found("Click Like in the Akita section")).toBe("like-0");
    expect(await found('Click Share in the "Shiba Inu" card')).toBe("share-1");
    // Beagle's card has no LIKE button: the grid (which holds other cards' buttons) is never searched instead.
    expect(await found("Click Like in the Beagle card")).toBeNull();
  });

  it("shop grids of list items, <details> filters, and a story row inside layout-table rows", async () => {
    await page.setContent(`<ul class="products">
      <li class="product"><a href="#h"><img alt="" width="10" height="10"><h2 class="title">Hoodie</h2></a><span>$45</span><a href="#add" id="add-hoodie" class="button">Add to cart</a></li>
      <li class="product"><a href="#b"><img alt="" width="10" height="10"><h2 class="title">Beanie</h2></a><span>$18</span><a href="#add" id="add-beanie" class="button">Add to cart</a></li></ul>
      <div id="filters"><details open><summary>By active</summary><ul><li><a id="act-yes" href="?a=1">Yes</a></li><li><a href="?a=0">No</a></li></ul></details>
      <details open><summary>By staff status</summary><ul><li><a id="staff-yes" href="?s=1">Yes</a></li><li><a href="?s=0">No</a></li></ul></details></div>`);
    expect(await found('Click "Add to cart" in the "Hoodie" section')).toBe("add-hoodie");
    expect(await found("Click Add to cart in the Beanie card")).toBe("add-beanie");
    expect(await found('Click Yes in the "By active" section')).toBe("act-yes");
    expect(await found('Click Yes in the "By staff status" section')).toBe("staff-yes");
    // Hacker News: every story row sits inside rows of the page's layout table.
    await page.setContent(`<table><tr><td><table><tr class="athing"><td>1.</td><td><a id="up-1" href="#" aria-label="upvote">▲</a></td>
      <td><a href="#s1">Why Postgres is my favorite database</a> <span>(example.com)</span></td></tr>
      <tr class="athing"><td>2.</td><td><a id="up-2" href="#" aria-label="upvote">▲</a></td><td><a href="#s2">Show HN: A tiny editor</a> <span>(example.org)</span></td></tr></table></td></tr></table>`);
    expect(await found('Click upvote in the "Why Postgres is my favorite database" row')).toBe("up-1");
  });
});

describe("a section named by the words of its heading", () => {
  // Two copies of the same address fields, as a checkout has them; each input records nothing but its value.
  const fields = (p: string) => `<p><label for="${p}-street">Street</label><input id="${p}-street"></p>
    <p><label for="${p}-city">City</label><input id="${p}-city"></p>`;
  const checkout = (billing: string, shipping: string) => `<form>
    <div class="billing-fields"><h3>${billing}</h3>${fields("bill")}</div>
    <div class="shipping-fields"><h3 id="ship-to"><label><input type="checkbox" checked> <span>${shipping}</span></label></h3>${fields("ship")}</div></form>`;

  // A fill that should pass gets the default 5 s step time (a loaded machine must not fail it); one that should
  // find nothing is given SHORT, so the test does not wait out the full time for a refusal.
  const SHORT = 600;
  async function fill(line: string, stepTimeoutMs = 5000): Promise<{ bill: string; ship: string; error?: string }> {
    const parsed = parseSteps(line);
    if (!parsed.ok) throw new Error(`unparsed step: ${line}`);
    const r = await executeStep(page, parsed.steps[0]!, { startUrl: "about:blank", stepTimeoutMs, navigationTimeoutMs: 10_000 });
    return { bill: await page.inputValue("#bill-city"), ship: await page.inputValue("#ship-city"), ...(r.error ? { error: r.error } : {}) };
  }

  it.each([
    ["Billing details", "Ship to a different address?"], // WooCommerce: only the stem says it
    ["Billing address", "Shipping address"],
    ["1. Billing details", "2. Shipping details"],
  ])("fills the City field of the shipping copy under %j / %j", async (billing, shipping) => {
    await page.setContent(checkout(billing, shipping));
    expect(await fill('Fill "Paris" in the City field in the Shipping section')).toEqual({ bill: "", ship: "Paris" });
    expect(await fill('Fill "Lyon" in the City field in the Billing section')).toEqual({ bill: "Lyon", ship: "Paris" });
  });

  it("fails, filling nothing, when the section is not there or several headings name it", async () => {
    await page.setContent(checkout("Billing details", "Shipping address"));
    const missing = await fill('Fill "Paris" in the City field in the Delivery section', SHORT);
    expect(missing).toMatchObject({ bill: "", ship: "" });
    expect(missing.error).toMatch(/within section "Delivery" \(region not found\)/);

    // Two headings hold "Shipping" as a whole word: neither is taken.
    await page.setContent(checkout("Shipping method", "Shipping address"));
    const twoWords = await fill('Fill "Paris" in the City field in the Shipping section', SHORT);
    expect(twoWords).toMatchObject({ bill: "", ship: "" });
    expect(twoWords.error).toMatch(/ambiguous: headings "Shipping method", "Shipping address" all name it/);

    // Only stems, twice ("Shipped items" could be taken for Shipping): neither is taken.
    await page.setContent(checkout("Shipped items", "Ship to a different address?"));
    expect(await fill('Fill "Paris" in the City field in the Shipping section', SHORT)).toMatchObject({ bill: "", ship: "" });
    // A shipment is not shipping (Porter keeps "Shipment" whole): the one stem match is taken.
    await page.setContent(checkout("Shipment tracking", "Ship to a different address?"));
    expect(await fill('Fill "Paris" in the City field in the Shipping section')).toEqual({ bill: "", ship: "Paris" });

    // A whole-word heading wins over a stem-only one.
    await page.setContent(checkout("Shipment tracking", "Shipping address"));
    expect(await fill('Fill "Paris" in the City field in the Shipping section')).toEqual({ bill: "", ship: "Paris" });
  });

  it("reads a section's name folded into the field's ('the Shipping City field') only when no field carries the whole phrase", async () => {
    await page.setContent(checkout("Billing address", "Shipping address"));
    const r = await fill('Fill "Paris" in the Shipping City field');
    expect(r).toEqual({ bill: "", ship: "Paris" });
    expect(await fill('Fill "Lyon" in the billing City field')).toEqual({ bill: "Lyon", ship: "Paris" });
    // No Delivery section: nothing is filled.
    const none = await fill('Fill "Nice" in the Delivery City field', SHORT);
    expect(none).toMatchObject({ bill: "Lyon", ship: "Paris" });
    expect(none.error).toMatch(/No unique visible element for "Delivery City"/);
  });

  it("a section labelled with the name among other words (Shopify's aria-label) holds the field, even beside a radio saying the phrase", async () => {
    const section = (who: string, extra = "") => `<section aria-label="${who} address"><h2>${who} address</h2>${extra}
      <label>Address <input id="${who}-a"></label><label>City <input id="${who}-c"></label></section>`;
    await page.setContent(`<form>${section("Shipping")}${section("Billing", `<fieldset><legend>Choose a billing address</legend>
      <label><input type="radio" name="b" checked> Same as shipping address</label><label><input type="radio" name="b"> Use a different billing address</label></fieldset>`)}</form>`);
    const parsed = parseSteps('Fill "500 Market St" in the Billing Address field\nFill "Boston" in the City field in the Shipping section');
    if (!parsed.ok) throw new Error("does not parse");
    for (const s of parsed.steps) expect(await executeStep(page, s, { startUrl: "about:blank", stepTimeoutMs: 5000, navigationTimeoutMs: 10_000 })).toMatchObject({ status: "PASSED" });
    expect(await page.inputValue("#Billing-a")).toBe("500 Market St");
    expect(await page.inputValue("#Shipping-a")).toBe("");
    expect(await page.inputValue("#Shipping-c")).toBe("Boston");
  });

  it("never reads a heading that only has the name inside a longer word", async () => {
    await page.setContent(checkout("Membership", "Relationships"));
    expect(await regionOf(section("Ship"))).toBeNull();
  });
});

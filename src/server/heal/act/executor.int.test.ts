// Every step action on a real Chromium page, including assertions that must fail when they are false.
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { STEP_ACTIONS } from "@/domain/step";
import { executeStep, type StepContext, stepWatchdogMs } from "./executor";
import { parseSteps } from "../../steps/step-parser";
import { useTestBrowser } from "../../../../test/helpers/browser";

const PAGE = `<title>Shop - Cart</title>
<h1>Cart</h1>
<label>Name <input id="name" value="old"></label>
<label>Country <select id="c"><option value="de">Germany</option><option value="fr">France</option></select></label>
<label><input type="checkbox" id="agree"> I agree</label>
<button id="go" disabled>Pay</button>
<ul><li>Apple</li><li>Pear</li><li>Plum</li></ul>
<p id="status">Ready to pay</p>
<div id="hov" onmouseover="this.textContent='Hovered'">Hover me</div>
<input aria-label="Search" id="s" onkeydown="if(event.key==='Enter')document.getElementById('status').textContent='Searched '+this.value">`;

const browser = useTestBrowser();
let page: Page;
const ctx: StepContext = { startUrl: "http://127.0.0.1:1/", stepTimeoutMs: 800, navigationTimeoutMs: 2000 };

beforeEach(async () => {
  // A fresh page per case: a failed navigation in one case may still be settling when the next one starts.
  await page?.close();
  page = await browser().newPage();
  await page.setContent(PAGE);
});

async function run(line: string, stepTimeoutMs = ctx.stepTimeoutMs) {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}: ${JSON.stringify(parsed.errors)}`);
  return executeStep(page, parsed.steps[0]!, { ...ctx, stepTimeoutMs });
}

describe("executeStep", () => {
  it.each([
    'Fill "Ada" in the Name field',
    'Select "France" from Country',
    "Check I agree",
    'Expect title contains "Cart"',
    'Expect text "Ready to pay"',
    'Expect no text "Payment failed"',
    "Expect Pay to be disabled",
    "Expect Pay to be visible",
    'Expect Name to have value "old"',
    'Expect 3 items',
    "Wait for Pay",
    'Wait for text "Ready"',
    "Wait 1 second",
    "Hover over Hover me",
    "Clear Name",
    "Reload the page",
  ])("passes: %s", async (line) => {
    const r = await run(line);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("PASSED");
  });

  it("fills, types, presses and selects with observable effects", async () => {
    expect((await run('Fill "Ada" in the Name field')).strategy).toBe("label");
    expect(await page.inputValue("#name")).toBe("Ada");
    await run('Type "shoes" into Search');
    await run("Press Enter on Search");
    expect(await page.textContent("#status")).toBe("Searched shoes");
    await run('Select "France" from Country');
    expect(await page.inputValue("#c")).toBe("fr");
    await run("Check I agree");
    expect(await page.isChecked("#agree")).toBe(true);
    expect((await run("Expect I agree to be checked")).status).toBe("PASSED");
    await run("Hover over Hover me");
    expect(await page.textContent("#hov")).toBe("Hovered");
  });

  it("text assertions see text as written even where CSS transforms its case, and case still counts otherwise", async () => {
    await page.setContent(`<p style="text-transform:uppercase">Order confirmed</p><p style="text-transform:capitalize">next steps below</p><p>Welcome, alice</p>`);
    expect((await run('Expect text "Order confirmed"')).status).toBe("PASSED");
    expect((await run('Expect text "next steps below"')).status).toBe("PASSED");
    expect((await run('Expect text "Welcome, alice"')).status).toBe("PASSED");
    const r = await run('Expect text "Welcome, Alice"');
    expect(r.status).toBe("FAILED");
    expect((await run('Expect no text "Order confirmed"')).status).toBe("FAILED");
  });

  it("a click on a radio or checkbox drawn by its label goes to the label (Bootstrap btn-check)", async () => {
    await page.setContent(`<style>.btn-check{position:absolute;clip:rect(0,0,0,0);pointer-events:none}.btn{display:inline-block;padding:6px 12px;border:1px solid #0d6efd}</style>
      <div role="group" aria-label="Billing period"><input type="radio" class="btn-check" name="p" id="monthly" checked><label class="btn" for="monthly">Monthly</label>
      <input type="radio" class="btn-check" name="p" id="yearly"><label class="btn" for="yearly">Yearly</label></div>
      <input type="checkbox" class="btn-check" id="gift"><label class="btn" for="gift">Gift wrap</label>`);
    const r = await run("Click Yearly");
    expect(r.error).toBeUndefined();
    expect(await page.isChecked("#yearly")).toBe(true);
    expect((await run("Click Gift wrap")).status).toBe("PASSED");
    expect(await page.isChecked("#gift")).toBe(true);
    expect((await run("Click Gift wrap")).status).toBe("PASSED");
    expect(await page.isChecked("#gift")).toBe(false);
  });

  it("closes the open dialog with its close button", async () => {
    await page.setContent(`<button type="button">Close</button>
      <div role="dialog" aria-modal="true" aria-labelledby="t" id="dlg"><h5 id="t">Settings</h5><button type="button" class="btn-close" aria-label="Close"></button>
        <p>Body</p><button type="button">Close</button><button type="button">Save changes</button></div>
      <script>document.querySelectorAll('#dlg button').forEach((b) => b.addEventListener('click', () => { if (b.textContent !== 'Save changes') document.getElementById('dlg').hidden = true; }));</script>`);
    const r = await run("Close the Settings dialog");
    expect(r.error).toBeUndefined();
    expect(await page.isHidden("#dlg")).toBe(true);
  });

  it("selects from a button that opens a listbox (Headless UI Listbox)", async () => {
    await page.setContent(`<label id="lbl">Assigned to</label>
      <button type="button" id="trigger" aria-haspopup="listbox" aria-expanded="false" aria-labelledby="lbl trigger">Tom Cook</button>
      <ul role="listbox" aria-labelledby="lbl" hidden><li role="option">Tom Cook</li><li role="option">Wade Cooper</li></ul>
      <p id="out"></p>
      <script>const b = document.getElementById('trigger'), ul = document.querySelector('ul');
        b.addEventListener('click', () => { ul.hidden = !ul.hidden; b.setAttribute('aria-expanded', String(!ul.hidden)); });
        ul.querySelectorAll('li').forEach((li) => li.addEventListener('click', () => { b.textContent = li.textContent; ul.hidden = true; document.getElementById('out').textContent = 'picked ' + li.textContent; }));</script>`);
    const r = await run('Select "Wade Cooper" from the Assigned to dropdown');
    expect(r.error).toBeUndefined();
    expect(await page.textContent("#out")).toBe("picked Wade Cooper");
  });

  it("switches named by the text beside them turn on, off and toggle", async () => {
    await page.setContent(`<div class="row"><span>Dark mode</span><button role="switch" aria-checked="false" id="dark"></button></div>
      <div class="row"><span>Email notifications</span><button role="switch" aria-checked="true" id="mail"></button></div>
      <script>document.querySelectorAll('[role=switch]').forEach((b) => b.addEventListener('click', () =>
        b.setAttribute('aria-checked', String(b.getAttribute('aria-checked') !== 'true'))));</script>`);
    const state = (id: string) => page.getAttribute(`#${id}`, "aria-checked");
    expect((await run("Turn on Dark mode")).status).toBe("PASSED");
    expect(await state("dark")).toBe("true");
    expect((await run("Turn off Email notifications")).status).toBe("PASSED");
    expect(await state("mail")).toBe("false");
    expect((await run("Toggle the Dark mode switch")).status).toBe("PASSED");
    expect(await state("dark")).toBe("false");
    expect((await run("Expect the Email notifications switch to be checked")).status).toBe("FAILED");
  });

  it("a value the field does not take fails the step and says what it takes, instead of leaving it empty", async () => {
    await page.setContent(`<label for="dob">Date of birth</label><input type="date" id="dob"><label for="n">Notes</label><input id="n">`);
    const r = await run('Fill "03/15/2024" in the Date of birth field');
    expect(r.status).toBe("FAILED");
    expect(r.error).toMatch(/did not take "03\/15\/2024".*a date field takes a date as YYYY-MM-DD/);
    expect((await run('Fill "2024-03-15" in the Date of birth field')).status).toBe("PASSED");
    expect(await page.inputValue("#dob")).toBe("2024-03-15");
    expect((await run('Fill "" in the Notes field')).status).toBe("PASSED");
  });

  it.each([
    ['Expect text "Order complete"', "ASSERTION", /Expected text "Order complete" to be visible/],
    ['Expect no text "Ready to pay"', "ASSERTION", /not to be on the page/],
    ['Expect title contains "Checkout"', "ASSERTION", /title to contain "Checkout", but it was "Shop - Cart"/],
    ['Expect URL contains "/cart"', "ASSERTION", /URL to contain "\/cart"/],
    ["Expect Pay to be enabled", "ASSERTION", /Expected "Pay" to be enabled/],
    ['Expect Name to have value "new"', "ASSERTION", /to have value "new", but it was "old"/],
    ["Expect 2 items", "ASSERTION", /Expected 2 item elements, found 3 visible/],
    ["Click the Checkout button", "NOT_FOUND", /No unique visible element for "Checkout" \(button\)/],
    ['Select "Spain" from Country', "NOT_FOUND", /No option "Spain".*"Germany", "France"/],
    ["Click Pay", "TIMEOUT", /Timeout/],
    ['Wait for text "never"', "TIMEOUT", /Timed out waiting for text "never"/],
  ])("fails: %s", async (line, kind, message) => {
    const r = await run(line);
    expect(r.status).toBe("FAILED");
    expect(r.failure).toBe(kind);
    expect(r.error).toMatch(message);
  });

  it("text assertions wait for text that appears or goes later, also across a navigation mid-wait", async () => {
    // Generous timeout: each change below comes 150 ms after it is scheduled, and the suite may run on a busy box.
    const passes = async (line: string) => {
      const parsed = parseSteps(line);
      if (!parsed.ok) throw new Error(line);
      const r = await executeStep(page, parsed.steps[0]!, { ...ctx, stepTimeoutMs: 5000 });
      expect(r.error).toBeUndefined();
      expect(r.status).toBe("PASSED");
    };
    await page.evaluate(`setTimeout(() => { document.getElementById("status").textContent = "Paid"; }, 150);`);
    await passes('Expect text "Paid"');
    await page.evaluate(`setTimeout(() => { document.getElementById("status").textContent = "Done"; }, 150);`);
    await passes('Expect no text "Paid"');
    expect(await page.textContent("#status")).toBe("Done");

    // The document is replaced while the step waits: the wait moves on to the new one.
    await page.route("http://shop.test/**", (r) =>
      r.fulfill({ contentType: "text/html", body: r.request().url().endsWith("/thanks") ? "<p>Thanks for your order</p>" : PAGE }),
    );
    await page.goto("http://shop.test/cart");
    await page.evaluate(`setTimeout(() => { location.href = "/thanks"; }, 150);`);
    await passes('Expect text "Thanks for your order"');
    expect(page.url()).toBe("http://shop.test/thanks");
  });

  it("a text assertion on a page whose main thread is stuck fails at its timeout instead of hanging", async () => {
    await page.evaluate(`setTimeout(() => { const end = Date.now() + 6000; while (Date.now() < end) {} }, 0);`);
    const r = await run('Expect text "never"');
    expect(r.status).toBe("FAILED");
    expect(r.failure).toBe("ASSERTION");
    // The page stays stuck for 6 s; the step gave up well before (timeout 800 ms, 500 ms of grace, 500 ms for
    // the title in the message).
    expect(r.durationMs).toBeLessThan(4500);
  });

  it("an element step on a page stuck in a script for good fails as hung instead of waiting forever", async () => {
    await page.evaluate(`setTimeout(() => { for (;;) {} }, 0);`);
    const parsed = parseSteps("Click the Pay button");
    if (!parsed.ok) throw new Error("unparseable");
    const step = parsed.steps[0]!;
    const r = await executeStep(page, step, ctx);
    expect(r).toMatchObject({ status: "FAILED", failure: "TIMEOUT" });
    expect(r.error).toMatch(/did not finish within \d+ ms: the page stopped answering/);
    expect(r.durationMs).toBeGreaterThanOrEqual(stepWatchdogMs(step, ctx) - 50);
  });

  it("navigates relative to the start URL and reports unreachable pages as NAVIGATION", async () => {
    const r = await run("Navigate to /nowhere");
    expect(r).toMatchObject({ status: "FAILED", failure: "NAVIGATION" });
    expect(r.error).toBe("Could not open http://127.0.0.1:1/nowhere: net::ERR_UNSAFE_PORT");
  });

  it("an ARIA combobox picks the option named exactly, not the first whose name contains the value", async () => {
    const combo = (options: string[]) => `<label id="cl">Country</label>
<button role="combobox" aria-labelledby="cl" aria-expanded="false" aria-controls="lb" onclick="document.getElementById('lb').hidden=false;this.setAttribute('aria-expanded','true')">Choose</button>
<ul role="listbox" id="lb" hidden>${options.map((o) => `<li role="option" onclick="document.getElementById('out').textContent='picked '+this.textContent;this.parentNode.hidden=true">${o}</li>`).join("")}</ul>
<p id="out"></p>`;
    await page.setContent(combo(["Equatorial Guinea", "Guinea", "Guinea-Bissau"]));
    expect((await run('Select "Guinea" from Country')).status).toBe("PASSED");
    expect(await page.locator("#out").textContent()).toBe("picked Guinea");

    await page.setContent(combo(["Equatorial Guinea", "Papua New Guinea"]));
    const r = await run('Select "Guinea" from Country');
    expect(r.status).toBe("FAILED");
    expect(r.error).toMatch(/No single option "Guinea" in the list \(options: "Equatorial Guinea", "Papua New Guinea"\)/);
    expect(await page.locator("#out").textContent()).toBe("");
  });

  it("a banner that covers the page just as the click lands is dismissed and the click made again on the same button", async () => {
    await page.setContent(`<button id="send" onclick="document.getElementById('out').textContent='sent'">Send message</button>
<p id="out"></p>
<script>
document.getElementById('send').addEventListener('pointerenter', function () {
  if (document.querySelector('.backdrop')) return;
  var bd = document.createElement('div');
  bd.className = 'backdrop';
  bd.style.cssText = 'position:fixed;inset:0;z-index:10;background:rgba(0,0,0,.4)';
  bd.innerHTML = '<div role="dialog" style="background:#fff;margin:100px auto;width:300px"><p>We use cookies</p><button type="button">Accept all</button></div>';
  bd.querySelector('button').addEventListener('click', function () { bd.remove(); });
  document.body.appendChild(bd);
}, { once: true });
</script>`);
    const r = await run("Click the Send message button");
    expect(r, JSON.stringify(r)).toMatchObject({ status: "PASSED", revealed: expect.arrayContaining([expect.stringMatching(/dismissed overlay via "Accept all"/)]) });
    expect(await page.locator("#out").textContent()).toBe("sent");
    expect(await page.locator(".backdrop").count()).toBe(0);
  });

  it("turns on switches whose own control a pointer cannot reach: a clipped role=switch button (Carbon), a clipped input in a shadow root (Ionic)", async () => {
    await page.setContent(`<div class="toggle"><button role="switch" aria-checked="false" id="t4" aria-labelledby="t4-label" type="button"
  style="position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0"
  onclick="this.setAttribute('aria-checked', String(this.getAttribute('aria-checked') !== 'true'))"></button>
<label for="t4" style="display:inline-flex;gap:8px;padding:4px"><span id="t4-label">Public project</span><span style="width:40px;height:20px;background:#ccc"></span></label></div>
<ion-toggle id="dark">Dark theme</ion-toggle>
<script>
const host = document.getElementById('dark');
const root = host.attachShadow({ mode: 'open' });
root.innerHTML = '<label for="in" style="display:flex;gap:8px;padding:4px"><input type="checkbox" role="switch" id="in" style="position:absolute;top:0;left:0;width:100%;height:100%;margin:0;clip:rect(0 0 0 0);opacity:0"><span><slot></slot></span><span style="width:40px;height:20px;background:#ccc"></span></label>';
</script>`);
    expect(await run("Turn on Public project"), "carbon").toMatchObject({ status: "PASSED" });
    expect(await page.locator("#t4").getAttribute("aria-checked")).toBe("true");
    expect(await run("Turn on Dark theme"), "ionic").toMatchObject({ status: "PASSED" });
    expect(await page.locator("#dark").evaluate((h) => (h.shadowRoot!.getElementById("in") as HTMLInputElement).checked)).toBe(true);
    expect(await run("Turn off Public project"), "carbon off").toMatchObject({ status: "PASSED" });
    expect(await page.locator("#t4").getAttribute("aria-checked")).toBe("false");
  });

  it("uses row actions that show only while the row is hovered, and takes the row whose title is the name over one that starts with it", async () => {
    // WordPress: row actions kept off-screen until hover; the "Roadmap 2025" row comes first.
    await page.setContent(`<style>.row-actions{position:relative;left:-9999em} tr:hover .row-actions{position:static}
.icons{display:none} tr:hover .icons{display:flex}</style>
<table><tbody>${["Roadmap 2025", "Roadmap"].map((t, i) => `<tr><td><strong><a href="#p${i}">${t}</a></strong>
<div class="row-actions"><a href="#e${i}">Edit</a> | <a href="#t${i}" onclick="document.getElementById('out').textContent='trashed ${t}';return false">Trash</a></div></td>
<td><ul class="icons"><li data-tooltip="Archive" onclick="document.getElementById('out').textContent='archived ${t}'">🗄</li></ul></td></tr>`).join("")}</tbody></table><p id="out"></p>`);
    // (A hover, then another discovery pass: more than the file's 800 ms step time on 2 busy cores.)
    expect(await run('Click Trash in the row "Roadmap"', 3000)).toMatchObject({ status: "PASSED" });
    expect(await page.locator("#out").textContent()).toBe("trashed Roadmap");
    // Gmail: icons with only a data-tooltip, display:none until the row is hovered.
    await page.mouse.move(0, 0);
    expect(await run('Click Archive in the row "Roadmap 2025"', 3000)).toMatchObject({ status: "PASSED" });
    expect(await page.locator("#out").textContent()).toBe("archived Roadmap 2025");
  });

  it("scopes to a board's list by its heading and to an answer by its author (Trello, Stack Overflow)", async () => {
    const answer = (id: string, author: string, extra = "") => `<div class="answer js-answer${extra}"><div class="post-layout">
<div class="votecell"><button aria-label="Up vote" onclick="document.getElementById('out').textContent='up ${id}'">▲</button></div>
<div class="answercell"><p>Answer ${id}</p><div class="signature"><div class="user-details"><a href="#u">${author}</a><span>1.2m</span></div></div></div></div></div>`;
    await page.setContent(`<ol class="lists">${["To do", "Doing", "Done"].map((l) => `<li class="list"><h2>${l}</h2><ul><li>Card</li></ul>
<button onclick="document.getElementById('out').textContent='add ${l}'">Add a card</button></li>`).join("")}</ol>
${answer("a1", "Alice")}${answer("a2", "Jon Skeet", " accepted-answer")}${answer("a3", "Bob")}<p id="out"></p>`);
    expect(await run("Click Add a card in the Doing list")).toMatchObject({ status: "PASSED" });
    expect(await page.locator("#out").textContent()).toBe("add Doing");
    expect(await run("Click the Up vote button in Jon Skeet's answer")).toMatchObject({ status: "PASSED" });
    expect(await page.locator("#out").textContent()).toBe("up a2");
    expect((await run("Click the Up vote button in Carol's answer")).status).toBe("FAILED");
  });

  it("types into the focused element when no field is named (an autofocused composer)", async () => {
    await page.setContent(`<textarea id="card" autofocus placeholder="Enter a title"></textarea><script>document.getElementById('card').focus()</script>`);
    expect(await run('Type "Retro notes"')).toMatchObject({ status: "PASSED" });
    expect(await page.locator("#card").inputValue()).toBe("Retro notes");
  });

  it("a click still fails when what takes it cannot be dismissed", async () => {
    await page.setContent(`<button onclick="document.getElementById('out').textContent='sent'">Send message</button><p id="out"></p>
<div style="position:fixed;inset:0;z-index:10" id="glass"></div>`);
    const r = await run("Click the Send message button");
    expect(r.status).toBe("FAILED");
    expect(r.error).toMatch(/Timeout/);
    expect(await page.locator("#out").textContent()).toBe("");
  });

  it("answers a question by its radio button (GOV.UK radios, and a Bootstrap-style group drawn by labels)", async () => {
    await page.setContent(`<form><fieldset class="govuk-fieldset"><legend>Do you already have a passport?</legend>
      <div><input type="radio" id="pp-yes" name="pp" value="yes"><label for="pp-yes">Yes</label></div>
      <div><input type="radio" id="pp-no" name="pp" value="no"><label for="pp-no">No</label></div></fieldset>
      <fieldset><legend>Where do you live?</legend>
      <div><input type="radio" id="w-eng" name="w"><label for="w-eng">England</label></div>
      <div><input type="radio" id="w-sco" name="w"><label for="w-sco">Scotland</label></div></fieldset>
      <div role="radiogroup" aria-label="Delivery"><input type="radio" class="btn-check" id="d-exp" name="d" style="position:absolute;clip:rect(0,0,0,0)">
      <label class="btn" for="d-exp">Express</label><input type="radio" class="btn-check" id="d-std" name="d" style="position:absolute;clip:rect(0,0,0,0)"><label class="btn" for="d-std">Standard</label></div></form>`);
    expect((await run('Choose "Yes" for "Do you already have a passport?"')).status).toBe("PASSED");
    expect(await page.locator("#pp-yes").isChecked()).toBe(true);
    expect(await page.locator("#pp-no").isChecked()).toBe(false);
    expect((await run("Select Scotland")).status).toBe("PASSED");
    expect(await page.locator("#w-sco").isChecked()).toBe(true);
    expect((await run('Select "Standard" from Delivery')).status).toBe("PASSED");
    expect(await page.locator("#d-std").isChecked()).toBe(true);
    const wrong = await run('Choose "Maybe" for "Do you already have a passport?"');
    expect(wrong.status).toBe("FAILED");
    expect(wrong.error).toMatch(/No single answer "Maybe" among the radio buttons \("Yes", "No"\)/);
  });

  it("selects from custom dropdowns: Vuetify's read-only input in its trigger, Semantic UI's ARIA-less items", async () => {
    await page.setContent(`<div class="v-select"><div role="button" aria-haspopup="listbox" aria-expanded="false" class="v-input__slot"
        onclick="document.getElementById('vmenu').hidden=false"><label for="input-345">Item</label><input id="input-345" readonly type="text"></div>
      <div id="vmenu" role="listbox" hidden><div role="option" onclick="document.getElementById('input-345').value='Item 1';this.parentNode.hidden=true">Item 1</div>
        <div role="option" onclick="document.getElementById('input-345').value='Item 2';this.parentNode.hidden=true">Item 2</div></div></div>
      <div class="field"><label>Gender</label><div class="ui selection dropdown" tabindex="0" id="sem"
        onclick="this.querySelector('.menu').style.display='block'"><input type="hidden" name="gender"><div class="text">Gender</div>
        <div class="menu" style="display:none"><div class="item" onclick="event.stopPropagation();this.closest('.dropdown').querySelector('input').value='m';this.parentNode.style.display='none'">Male</div>
        <div class="item" onclick="event.stopPropagation();this.closest('.dropdown').querySelector('input').value='f';this.parentNode.style.display='none'">Female</div></div></div></div>
      <p>Date: <input id="d1" name="when_0"><br>Time: <input id="t1" name="when_1"></p>`);
    expect((await run('Select "Item 2" from the Item dropdown')).status).toBe("PASSED");
    expect(await page.locator("#input-345").inputValue()).toBe("Item 2");
    expect((await run('Select "Female" from the Gender dropdown')).status).toBe("PASSED");
    expect(await page.locator("input[name=gender]").inputValue()).toBe("f");
    // Django admin's date-time widget: bare "Date:" and "Time:" text before each input in one paragraph.
    expect((await run('Fill "09:30:00" in the Time field')).status).toBe("PASSED");
    expect(await page.locator("#t1").inputValue()).toBe("09:30:00");
    expect(await page.locator("#d1").inputValue()).toBe("");
  });

  it("closes a toast with its own close button, and reads text in it", async () => {
    await page.setContent(`<div id="panel"><h2>Settings</h2><button id="close-panel" aria-label="Close">×</button></div>
      <div class="Toastify__toast" id="toast"><div role="status">Profile saved</div><button id="close-toast" aria-label="close" onclick="this.parentNode.remove()">×</button></div>`);
    expect((await run('Expect text "Profile saved" in the toast')).status).toBe("PASSED");
    expect((await run("Close the toast")).status).toBe("PASSED");
    expect(await page.locator("#toast").count()).toBe(0);
    expect(await page.locator("#close-panel").count()).toBe(1);
    // Tailwind UI: no role and no toast class, announced in an aria-live container; the button is named by sr-only text.
    await page.setContent(`<div id="panel"><button id="close-panel" aria-label="Close">×</button></div>
      <div aria-live="assertive" class="pointer-events-none fixed inset-0"><div class="pointer-events-auto" id="note"><p>Successfully saved!</p>
      <button type="button" id="close-note" onclick="this.parentNode.remove()"><span class="sr-only">Close</span><svg width="12" height="12"></svg></button></div></div>`);
    expect((await run("Close the notification")).status).toBe("PASSED");
    expect(await page.locator("#note").count()).toBe(0);
    expect(await page.locator("#close-panel").count()).toBe(1);
  });

  it("scrolls the page to its bottom (a list that loads more there), a screen down, and an element into view", async () => {
    // An infinite list: reaching the end of the document loads the next page of items.
    await page.setContent(`<h1>Feed</h1><div id="feed" style="height:3000px">Item 1</div><p id="end">End of page 1</p>
      <script>addEventListener('scroll', () => {
        if (innerHeight + scrollY >= document.documentElement.scrollHeight - 2 && !window.more) {
          window.more = true; setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<p>Loaded page 2</p>'), 200);
        }
      });</script>`);
    expect((await run("Scroll down")).status).toBe("PASSED");
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(500);
    expect(await page.getByText("Loaded page 2").count()).toBe(0);
    expect((await run("Scroll to the bottom of the page")).status).toBe("PASSED");
    expect(await page.getByText("Loaded page 2").count()).toBe(1); // arrived within the step's settle wait
    expect((await run("Scroll to the top")).status).toBe("PASSED");
    expect(await page.evaluate(() => scrollY)).toBe(0);
    // An app shell: the document does not scroll, its content pane does.
    await page.setContent(`<div style="display:flex;height:100vh"><nav style="width:200px">Menu</nav>
      <main id="pane" style="flex:1;overflow-y:auto"><div style="height:2500px">Top</div><h2>Billing</h2><button>Load more</button></main></div>`);
    expect((await run("Scroll down")).status).toBe("PASSED");
    expect(await page.locator("#pane").evaluate((e) => e.scrollTop)).toBeGreaterThan(300);
    expect((await run("Scroll to the top")).status).toBe("PASSED");
    expect((await run("Scroll to the Billing section")).status).toBe("PASSED");
    const top = await page.getByRole("heading", { name: "Billing" }).evaluate((e) => e.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(800);
    const missing = await run("Scroll to the Archive section");
    expect(missing.status).toBe("FAILED");
  });

  it("handles every action in STEP_ACTIONS (no 'has no handler' errors)", async () => {
    for (const action of STEP_ACTIONS) {
      const r = await executeStep(page, { line: 1, text: action, action, target: { name: "Pay", exact: false }, value: "x", key: "Tab", ms: 1, count: 1, state: "visible" }, { ...ctx, stepTimeoutMs: 150 });
      expect(r.error ?? "").not.toMatch(/has no element handler|needs an element$/);
    }
  });
});

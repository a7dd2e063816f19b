// Executes one parsed step on a Playwright page. Element steps go through discovery (the gate: unique, visible,
// able to take the action); assertions are really checked by polling until the step timeout, and every failure
// carries a kind (for the run's verdict) and a message a tester can act on.
import { errors, type Locator, type Page } from "playwright-core";
import type { Step } from "@/domain/step";
import { ELEMENT_ACTIONS } from "@/domain/step";
import { discoverOnce, type StrategyTrial } from "../locate/discovery";
import { disclosureControl, readDisclosure } from "../page/disclosure";
import { TabError, type TabPlace, type Tabs } from "../page/tabs";
import { FILE_INPUT_CODE, type FileInput, fileInputFor, filesIn, inputFilesOf, onlyFileInput, resolveUpload, type UploadFile } from "./upload";
import { pointerMisses, setCheckedViaLabel, waitForSettled } from "../gate/gate";
import { DEEP_DOM_LIB } from "../page/deep-dom";
import { SCROLL_PAGE_FN } from "../page/page-scroll";
import { isToggleInput } from "../locate/strategies/probe";
import { hoverRegion, rowLike } from "../locate/region";
import { isCovered } from "../page/covered";
import { dismissals, revealTarget } from "../repair/reveal";
import { type EngineContext, POINTER_ACTIONS, type Precheck, precheckElement, type Resolved, ResolveFailure, resolveElement } from "../resolve/resolve";
import { DISCOVERY_STRATEGIES } from "../locate/strategies";
import { escapeRegex } from "../locate/strategies/selector-syntax";
import { within } from "../page/within";
import type { UrlGuard } from "../../runs/url-guard";
import { refusalMessage } from "../../runs/url-policy";

/** POLICY: the URL policy (runs/url-policy.ts) refused a URL the step would have opened. */
export type FailureKind = "ASSERTION" | "NOT_FOUND" | "TIMEOUT" | "NAVIGATION" | "APP" | "POLICY";

export type StepResult = {
  status: "PASSED" | "FAILED";
  strategy?: string;
  selector?: string;
  confidence?: number;
  /** The winning locator as @playwright/test code after `page.`, for codegen. */
  locatorCode?: string;
  tried?: StrategyTrial[];
  durationMs: number;
  error?: string;
  failure?: FailureKind;
  /** redis | memory | postgres | miss for element steps; undefined otherwise. */
  cacheSource?: string;
  healed?: boolean;
  healVerified?: boolean;
  healAttempts?: number;
  /** Highest heal round used (0 when no heal). */
  healRounds?: number;
  /** What was done to get an overlay off the element when it took the action (see runStep). */
  revealed?: string[];
  /** What a passed step did that its text does not say (an Expand of a control with no expanded state, an
   * upload of a generated file). */
  note?: string;
  /** The file an upload step set, for codegen. */
  upload?: UploadFile;
};

export type StepContext = {
  startUrl: string;
  stepTimeoutMs: number;
  navigationTimeoutMs: number;
  /** Cache, heal policy and recording for this step; without it the step uses plain discovery. */
  engine?: EngineContext;
  /** Folders an upload step may read the file it names from (see upload.ts); none: uploads use generated files. */
  uploadDirs?: readonly string[];
  /** The context's tabs: Switch / Close tab steps change `tabs.page`, which the caller passes to the next step. */
  tabs?: Tabs;
  /** The run's URL policy: `Go to` refuses a URL it does not allow before anything is fetched. */
  urlGuard?: UrlGuard;
};

class StepFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

const q = (s: string | undefined) => JSON.stringify(s ?? "");
const normalise = (s: string) => s.replace(/\s+/g, " ").trim();

/** Playwright errors carry a multi-line call log; the first line is the useful part. */
export function shortError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const first = msg.split("\n").find((l) => l.trim()) ?? msg;
  return first.length > 500 ? `${first.slice(0, 497)}...` : first;
}

function classify(err: unknown): FailureKind {
  if (err instanceof StepFailure || err instanceof TabError) return err.kind;
  if (err instanceof errors.TimeoutError) return "TIMEOUT";
  return "APP";
}

/** Polls `check` until it returns ok or the timeout passes; returns the last observation. */
async function pollUntil<T>(check: () => Promise<{ ok: boolean; seen: T }>, timeoutMs: number): Promise<{ ok: boolean; seen: T }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await check();
    if (r.ok || Date.now() >= deadline) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * Answers the page's alert, confirm and prompt dialogs with OK (a prompt with its default text), as a user going
 * ahead would. Without a listener Playwright dismisses them, so "Click Delete" on a page asking "Are you sure?"
 * would silently delete nothing. `onDialog` hears each one (for the run's log).
 */
export function answerDialogs(page: Page, onDialog?: (d: { type: string; message: string }) => void): void {
  page.on("dialog", (dialog) => {
    onDialog?.({ type: dialog.type(), message: dialog.message().slice(0, 300) });
    void dialog.accept(dialog.type() === "prompt" ? dialog.defaultValue() : undefined).catch(() => undefined);
  });
}

/** Opens a URL; an unreachable host or an HTTP error status is a step failure, not an exception. A URL the
 * guard refuses fails with POLICY before anything is fetched, and so does a redirect to a refused one. */
export async function gotoUrl(page: Page, url: string, timeoutMs: number, guard?: UrlGuard): Promise<void> {
  if (guard) {
    const refused = guard.check(url);
    if (refused) throw new StepFailure("POLICY", refused.message);
    guard.takeRefusals();
  }
  let response;
  try {
    response = await page.goto(url, { timeout: timeoutMs, waitUntil: "load" });
  } catch (err) {
    // An https redirect to a refused host: the proxy refused the tunnel, the browser reports only a failure.
    const refused = guard?.takeRefusals()[0] ?? (/ERR_TUNNEL_CONNECTION_FAILED/.test(shortError(err)) ? guard?.latestRefusal() : undefined);
    if (refused) throw new StepFailure("POLICY", `${refused.message} (a redirect from ${url})`);
    const reason = shortError(err).replace(/^page\.goto: /, "").replace(/ at \S+$/, "");
    throw new StepFailure("NAVIGATION", `Could not open ${url}: ${reason}`);
  }
  if (guard && response?.headers()["x-pacts-url-policy"] === "refused") {
    // A plain-http redirect to a refused host: the proxy answered in its place.
    const refused = guard.refusalOf(response.url()) ?? guard.check(response.url());
    guard.takeRefusals();
    throw new StepFailure("POLICY", `${refused?.message ?? refusalMessage(response.url(), "refused by the egress proxy")} (a redirect from ${url})`);
  }
  if (response && response.status() >= 400) {
    throw new StepFailure("APP", `Opening ${url} returned HTTP ${response.status()} ${response.statusText()}`.trim());
  }
}

/**
 * In the page: whether `want` is (present) or is not (!present) in the page's visible text (deep-dom.ts: open
 * shadow roots and same-origin frames included, a slot's projected content rather than its fallback), waiting up
 * to `ms` for it to become so. Checked at once, then after DOM changes (at most once per animation frame) and every 100 ms as
 * a backstop for text that appears without a mutation (a transition ending, a font loading). Case counts, except
 * as CSS text-transform shows the text ("Order confirmed" styled uppercase is "ORDER CONFIRMED" to innerText).
 * Plain JavaScript in a string, like the other in-page probes: no transpiler helpers in the page.
 */
const waitTextInPage = new Function(
  "arg",
  `${DEEP_DOM_LIB}
function text() { return visibleText(document).replace(/\\s+/g, " ").trim(); }
// The text as written, or as CSS text-transform renders it (innerText applies uppercase, lowercase, capitalize).
var forms = [arg.want, arg.want.toUpperCase(), arg.want.toLowerCase(), arg.want.replace(/(^|\\s)(\\S)/g, function (m, a, b) { return a + b.toUpperCase(); })];
function met() { var t = text(); return forms.some(function (f) { return t.indexOf(f) >= 0; }) === arg.present; }
if (met()) return true;
if (!(arg.ms > 0)) return false;
return new Promise(function (resolve) {
  var done = false, queued = false, obs, iv, to;
  function finish(v) { if (done) return; done = true; obs.disconnect(); clearInterval(iv); clearTimeout(to); resolve(v); }
  function check() { queued = false; watch(); if (!done && met()) finish(true); }
  // Shadow roots (and same-origin frames) each need an observer of their own: a document's does not see into them.
  var watched = new Set();
  function watch() { deepRoots(document).forEach(function (r) { if (!watched.has(r)) { watched.add(r); obs.observe(r, { subtree: true, childList: true, characterData: true, attributes: true }); } }); }
  obs = new MutationObserver(function () { if (!queued) { queued = true; requestAnimationFrame(check); } });
  watch();
  iv = setInterval(check, 100);
  to = setTimeout(function () { finish(met()); }, arg.ms);
});`,
) as (arg: { want: string; present: boolean; ms: number }) => boolean | Promise<boolean>;

/**
 * Waits until `text` is (or, with present=false, is no longer) in the page's visible text; false after
 * `timeoutMs`. The wait runs in the page, so it answers as soon as the text changes rather than on a poll; it is
 * re-armed at most every second, so a navigation in between only costs a new look at the new document.
 */
async function waitForPageText(page: Page, text: string, present: boolean, timeoutMs: number): Promise<boolean> {
  const want = normalise(text);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ms = Math.max(0, Math.min(deadline - Date.now(), 1000));
    // A page whose main thread is stuck never answers: do not wait past the step's deadline for it.
    const met = await within(page.evaluate(waitTextInPage, { want, present, ms }).catch(() => null), deadline - Date.now() + 500, "stuck" as const);
    if (met === "stuck") return false;
    if (met === true) return true;
    if (Date.now() >= deadline) return false;
    // null: the document went away mid-wait (a navigation); look again once the next one has a context.
    if (met === null) await new Promise((res) => setTimeout(res, 50));
  }
}

async function expectTextVisible(page: Page, text: string, timeoutMs: number, kind: FailureKind): Promise<void> {
  if (!(await waitForPageText(page, text, true, timeoutMs))) {
    const what = kind === "TIMEOUT" ? "Timed out waiting for text" : "Expected text";
    // The title is only context for the message: a page that is stuck does not get to hold the step up for it.
    const title = await within(page.title().then(q, () => "unknown"), 500, "unknown: the page did not answer");
    throw new StepFailure(kind, `${what} ${q(text)} to be visible on the page within ${timeoutMs} ms (page title ${title})`);
  }
}

async function expectElementState(page: Page, step: Step, loc: Locator | undefined, timeoutMs: number): Promise<void> {
  const state = step.state ?? "visible";
  const name = q(step.target?.name);
  if (state === "hidden") {
    // Hidden passes when no visible element matches; discovery without the visibility gate may still find it.
    const r = await pollUntil(async () => {
      const d = await discoverOnce(page, step.target!, step.action, { requireVisible: false });
      if (!d.found) return { ok: true, seen: "absent" };
      const visible = await page.locator(d.candidate.selector).isVisible().catch(() => false);
      return { ok: !visible, seen: visible ? "visible" : "hidden" };
    }, timeoutMs);
    if (!r.ok) throw new StepFailure("ASSERTION", `Expected ${name} to be hidden, but it is still visible after ${timeoutMs} ms`);
    return;
  }
  if (!loc) throw new StepFailure("NOT_FOUND", `No element ${name}`);
  const probes: Record<Exclude<typeof state, "hidden">, () => Promise<boolean>> = {
    visible: () => loc.isVisible(),
    enabled: () => loc.isEnabled(),
    disabled: () => loc.isDisabled(),
    checked: () => loc.isChecked(),
    unchecked: async () => !(await loc.isChecked()),
  };
  const r = await pollUntil(async () => ({ ok: await probes[state]().catch(() => false), seen: null }), timeoutMs);
  if (!r.ok) throw new StepFailure("ASSERTION", `Expected ${name} to be ${state}, but it was not within ${timeoutMs} ms`);
}

/**
 * The one element of `role` in `scope` named `value`: the exact name, else the same name in any case, else the
 * one whose name contains it ("Guinea" must never pick "Equatorial Guinea" because it comes first). Null when
 * none, or when the first form that matches matches several.
 */
async function theOneNamed(scope: Page | Locator, role: "option" | "radio", value: string): Promise<Locator | null> {
  const v = value.trim();
  const forms = [
    scope.getByRole(role, { name: v, exact: true }),
    scope.getByRole(role, { name: new RegExp(`^\\s*${escapeRegex(v)}\\s*$`, "i") }),
    scope.getByRole(role, { name: v }),
  ];
  for (const loc of forms) {
    const n = await loc.count();
    if (n === 1) return loc;
    if (n > 1) return null;
  }
  return null;
}

/** The one radio button of a group named `value` (see theOneNamed), checked. */
async function pickRadio(group: Locator, value: string, timeoutMs: number): Promise<void> {
  const radio = await theOneNamed(group, "radio", value);
  if (radio) {
    // A custom radio drawn by its label: the native input is hidden or covered.
    if ((!(await radio.isVisible()) || (await isCovered(radio))) && (await setCheckedViaLabel(radio, true, timeoutMs))) return;
    return radio.check({ timeout: timeoutMs });
  }
  const names = await group.getByRole("radio").evaluateAll((els) => els.map((e) => ((e as HTMLInputElement).labels?.[0]?.textContent ?? e.getAttribute("aria-label") ?? e.textContent ?? "").trim()));
  throw new StepFailure("NOT_FOUND", `No single answer ${q(value)} among the radio buttons (${names.slice(0, 20).map((o) => q(o)).join(", ")})`);
}

async function selectOption(page: Page, loc: Locator, value: string, timeoutMs: number): Promise<void> {
  // Radios of a group component may sit in its shadow root (Playwright's getByRole finds them there too).
  const RADIO = "input[type=radio], [role=radio]";
  const kind = await loc.evaluate((el, radio) => (el.tagName === "SELECT" ? "native" : el.querySelector(radio) || el.shadowRoot?.querySelector(radio) ? "radios" : "aria"), RADIO);
  if (kind === "radios") return pickRadio(loc, value, timeoutMs);
  const isNative = kind === "native";
  if (!isNative) {
    // ARIA combobox/listbox: open it, then pick the option by its accessible name (theOneNamed).
    await loc.click({ timeout: timeoutMs });
    const listed = await page.getByRole("option").first().waitFor({ timeout: Math.min(timeoutMs, 1500) }).then(() => true, () => false);
    if (!listed) {
      // A list without ARIA options (Semantic UI's .item divs): the visible item whose whole text is the value,
      // inside the widget first, else the one such item on the page.
      const whole = new RegExp(`^\\s*${escapeRegex(value.trim())}\\s*$`, "i");
      for (const where of [loc, page.locator("body")]) {
        const item = where.locator("*").filter({ hasText: whole, visible: true }).filter({ hasNot: page.locator("*").filter({ hasText: whole }) });
        if ((await item.count()) === 1) return item.click({ timeout: timeoutMs });
      }
      throw new StepFailure("NOT_FOUND", `No list of options opened, and no single visible item ${q(value)} appeared`);
    }
    const option = await theOneNamed(page, "option", value);
    if (option) return option.click({ timeout: timeoutMs });
    const names = await page.getByRole("option").allInnerTexts().catch(() => [] as string[]);
    throw new StepFailure("NOT_FOUND", `No single option ${q(value)} in the list (options: ${names.slice(0, 20).map((o) => q(o.trim())).join(", ")})`);
  }
  const options = await loc.evaluate((el) =>
    Array.from((el as HTMLSelectElement).options).map((o) => ({ label: o.label.trim(), value: o.value })),
  );
  const match =
    options.find((o) => o.label === value.trim()) ??
    options.find((o) => o.value === value) ??
    options.find((o) => o.label.toLowerCase() === value.trim().toLowerCase());
  if (!match) {
    throw new StepFailure("NOT_FOUND", `No option ${q(value)} in the list (options: ${options.map((o) => q(o.label)).join(", ")})`);
  }
  await loc.selectOption({ value: match.value }, { timeout: timeoutMs });
}

/** What a browser accepts in the fields that drop any other value (a date typed as 03/15/2024 becomes ""). */
const VALUE_FORMATS: Record<string, string> = {
  date: "a date as YYYY-MM-DD", time: "a time as HH:MM", "datetime-local": "a date and time as YYYY-MM-DDTHH:MM",
  month: "a month as YYYY-MM", week: "a week as YYYY-W##", number: "a number", color: "a colour as #rrggbb", range: "a number",
};

/** A field the browser emptied because it does not take the value fails the step instead of passing silently.
 * Only fields of a type in VALUE_FORMATS do that: a cache hit that knows the element skips the look. */
async function checkFilled(loc: Locator, value: string, known: Known): Promise<void> {
  if (value === "" || (known && !(known.tag === "input" && known.type && VALUE_FORMATS[known.type]))) return;
  const seen = await loc.inputValue({ timeout: 500 }).catch(() => undefined); // a contenteditable has none
  if (seen !== "") return;
  const type = ((await loc.getAttribute("type", { timeout: 500 }).catch(() => null)) ?? "").toLowerCase();
  const wants = VALUE_FORMATS[type];
  throw new StepFailure("APP", `The field did not take ${q(value)}: it is still empty${wants ? ` (a ${type} field takes ${wants})` : ""}`);
}

type Known = Resolved["known"];
/** How long a page scroll waits for what it may load to start arriving. */
const SCROLL_LOAD_MS = 500;
const TOGGLE_TYPES = new Set(["checkbox", "radio"]);

/** What an action adds to the step's record: a note, the code of the element it really acted on (after the
 * found element's code, or the whole locator for a page action), the file it uploaded. */
type ActionOutcome = { note?: string; codeSuffix?: string; locatorCode?: string; upload?: UploadFile };

/** Sets the step's file on the input, then checks the input holds a file of that name. */
async function uploadTo(input: FileInput, step: Step, dirs: readonly string[], t: number): Promise<ActionOutcome> {
  const what = step.target ? q(step.target.name) : "the page";
  if ("problem" in input) throw new StepFailure("NOT_FOUND", `Cannot upload to ${what}: ${input.problem}`);
  const file = await resolveUpload(step.value ?? "", dirs);
  await input.loc.setInputFiles(inputFilesOf(file), { timeout: t });
  const r = await pollUntil(async () => {
    const seen = await filesIn(input.loc).catch(() => [] as string[]);
    return { ok: seen.includes(file.name), seen };
  }, t);
  if (!r.ok) throw new StepFailure("ASSERTION", `Set ${q(file.name)} on the file input of ${what}, but it holds ${r.seen.length ? r.seen.map((n) => q(n)).join(", ") : "no file"}`);
  const note = file.generatedBecause
    ? `uploaded a generated ${file.name} (${file.mimeType}, ${Buffer.from(file.base64 ?? "", "base64").length} bytes): ${file.generatedBecause}`
    : undefined;
  return { note, codeSuffix: input.codeSuffix, upload: file };
}

/**
 * Expand/Collapse: clicks the disclosure control only when its state differs, then waits for the state to follow.
 * A control with no expanded state is clicked, and the step says so.
 */
async function setDisclosure(loc: Locator, name: string, expand: boolean, t: number): Promise<ActionOutcome> {
  const control = await disclosureControl(loc);
  const word = expand ? "expanded" : "collapsed";
  const before = control.hasState ? await readDisclosure(control.loc) : null;
  if (before === expand) return { note: `${name} was already ${word}`, codeSuffix: control.codeSuffix };
  await control.loc.click({ timeout: t });
  const r = await pollUntil(async () => {
    const seen = await readDisclosure(control.loc).catch(() => null);
    return { ok: seen === expand || (before === null && seen === null), seen };
  }, t);
  if (!r.ok) throw new StepFailure("ASSERTION", `Clicked ${name}, but it did not become ${word} within ${t} ms (it is ${r.seen === null ? "without an expanded state" : r.seen ? "expanded" : "collapsed"})`);
  const note = r.seen === null ? `${name} has no expanded state (no aria-expanded, not a <details> summary): clicked it` : undefined;
  return { note, codeSuffix: control.codeSuffix };
}

async function runElementAction(page: Page, step: Step, loc: Locator, t: number, known: Known, uploadDirs: readonly string[] = []): Promise<ActionOutcome | void> {
  const value = step.value ?? "";
  const name = q(step.target?.name);
  switch (step.action) {
    case "fill":
      await loc.fill(value, { timeout: t });
      return checkFilled(loc, value, known);
    case "type":
      return loc.pressSequentially(value, { timeout: t, delay: 15 });
    case "clear":
      return loc.clear({ timeout: t });
    case "click": {
      // A checkbox or radio drawn by its label (Bootstrap's btn-check segmented buttons) takes the click there.
      const toggle = known ? known.tag === "input" && TOGGLE_TYPES.has(known.type ?? "") : await isToggleInput(loc);
      if (toggle && (!(await loc.isVisible().catch(() => false)) || (await isCovered(loc)))) {
        const want = (await loc.getAttribute("type")) === "radio" ? true : !(await loc.isChecked());
        if (await setCheckedViaLabel(loc, want, t)) return;
      }
      return loc.click({ timeout: t });
    }
    case "dblclick":
      return loc.dblclick({ timeout: t });
    case "hover":
      return loc.hover({ timeout: t });
    case "scroll":
      return loc.scrollIntoViewIfNeeded({ timeout: t });
    case "select":
      return selectOption(page, loc, value, t);
    case "expand":
    case "collapse":
      return setDisclosure(loc, name, step.action === "expand", t);
    case "upload":
      return uploadTo(await fileInputFor(loc), step, uploadDirs, t);
    case "check":
    case "uncheck": {
      // A visually hidden native input (custom checkbox) is toggled through its label, then verified.
      const want = step.action === "check";
      const hidden = !(await loc.isVisible().catch(() => false)) || (await isCovered(loc)) || (await pointerMisses(loc));
      if (hidden && (await setCheckedViaLabel(loc, want, t))) return;
      return want ? loc.check({ timeout: t }) : loc.uncheck({ timeout: t });
    }
    case "press":
      return loc.press(step.key ?? "Enter", { timeout: t });
    case "waitFor":
      return; // discovery already waited for it
    case "expectState":
      return expectElementState(page, step, loc, t);
    case "expectValue": {
      const r = await pollUntil(async () => {
        const seen = await loc.inputValue({ timeout: 500 }).catch(() => undefined);
        return { ok: seen === value, seen };
      }, t);
      if (!r.ok) throw new StepFailure("ASSERTION", `Expected ${name} to have value ${q(value)}, but it was ${r.seen === undefined ? "not an input" : q(r.seen)}`);
      return;
    }
    case "expectContains": {
      const want = normalise(value);
      const r = await pollUntil(async () => {
        const seen = normalise(await loc.innerText({ timeout: 500 }).catch(() => ""));
        return { ok: seen.includes(want), seen };
      }, t);
      if (!r.ok) throw new StepFailure("ASSERTION", `Expected ${name} to contain ${q(value)}, but its text was ${q(r.seen.slice(0, 200))}`);
      return;
    }
    default:
      throw new Error(`Action ${step.action} has no element handler`);
  }
}

/** Expect N X: counts the matches of the first strategy that finds any, polling until the count is right. */
async function expectCount(page: Page, step: Step, t: number): Promise<Pick<StepResult, "strategy" | "selector" | "locatorCode">> {
  const want = step.count ?? 0;
  type Seen = { visible: number; strategy?: string; selector?: string; code?: string };
  const r = await pollUntil<Seen>(async () => {
    for (const s of DISCOVERY_STRATEGIES) {
      const cands = await s.find(page, step.target!, step.action, { requireVisible: false, ordinal: 0 });
      const hit = cands.find((c) => c.count > 0);
      if (hit) {
        const selector = hit.selector.replace(/ >> nth=0$/, "");
        const visible = await page.locator(`${selector} >> visible=true`).count();
        return { ok: visible === want, seen: { visible, strategy: s.name, selector, code: hit.code.replace(/\.first\(\)$/, "") } };
      }
    }
    return { ok: want === 0, seen: { visible: 0 } };
  }, t);
  const what = step.target?.name ? q(step.target.name) : `${step.target?.kind ?? "element"} elements`;
  if (!r.ok) throw new StepFailure("ASSERTION", `Expected ${want} ${what}, found ${r.seen.visible} visible`);
  return { strategy: r.seen.strategy, selector: r.seen.selector, locatorCode: r.seen.code };
}

async function runPageAction(page: Page, step: Step, ctx: StepContext): Promise<ActionOutcome | void> {
  const t = ctx.stepTimeoutMs;
  const value = step.value ?? "";
  switch (step.action) {
    case "navigate":
      return gotoUrl(page, new URL(value, ctx.startUrl).toString(), ctx.navigationTimeoutMs, ctx.urlGuard);
    case "reload":
      await page.reload({ timeout: ctx.navigationTimeoutMs });
      return;
    case "back":
      await page.goBack({ timeout: ctx.navigationTimeoutMs });
      return;
    case "press":
      return page.keyboard.press(step.key ?? "Enter");
    case "type":
      return page.keyboard.type(step.value ?? "", { delay: 15 });
    case "wait":
      return page.waitForTimeout(step.ms ?? 1000);
    case "scroll":
      // Content a scroll loads (infinite lists, lazy sections) comes from the network: the page gets half a second
      // to start changing, then settles, before the next step looks at it.
      await page.evaluate(`(${SCROLL_PAGE_FN})(${JSON.stringify(value)})`);
      await waitForSettled(page, { firstLookMs: SCROLL_LOAD_MS, capMs: Math.max(SCROLL_LOAD_MS, Math.min(2000, t)) });
      return;
    case "upload": {
      const done = await uploadTo(await onlyFileInput(page, t), step, ctx.uploadDirs ?? [], t);
      return { ...done, locatorCode: FILE_INPUT_CODE };
    }
    case "switchTab":
    case "closeTab": {
      if (!ctx.tabs) throw new StepFailure("APP", "This run does not keep track of tabs");
      if (step.action === "closeTab") await ctx.tabs.closeCurrent(ctx.navigationTimeoutMs);
      else await ctx.tabs.switchTo(value as TabPlace, t, ctx.navigationTimeoutMs);
      return;
    }
    case "waitForText":
      return expectTextVisible(page, value, t, "TIMEOUT");
    case "expectText":
      return expectTextVisible(page, value, t, "ASSERTION");
    case "expectNoText": {
      if (!(await waitForPageText(page, value, false, t))) throw new StepFailure("ASSERTION", `Expected text ${q(value)} not to be on the page, but it is still visible after ${t} ms`);
      return;
    }
    case "expectTitle": {
      const r = await pollUntil(async () => {
        const seen = await page.title();
        return { ok: seen.includes(value), seen };
      }, t);
      if (!r.ok) throw new StepFailure("ASSERTION", `Expected the title to contain ${q(value)}, but it was ${q(r.seen)}`);
      return;
    }
    case "expectUrl": {
      const r = await pollUntil(async () => ({ ok: page.url().includes(value), seen: page.url() }), t);
      if (!r.ok) throw new StepFailure("ASSERTION", `Expected the URL to contain ${q(value)}, but it was ${q(r.seen)}`);
      return;
    }
    default:
      throw new Error(`Action ${step.action} needs an element`);
  }
}

function healInfo(attempts: { round: number }[], healed: boolean, verified: boolean) {
  return { healed, healVerified: verified, healAttempts: attempts.length, healRounds: Math.max(0, ...attempts.map((a) => a.round)) };
}

function needsElement(step: Step): boolean {
  if (step.action === "press" || step.action === "type" || step.action === "scroll" || step.action === "upload") return step.target !== undefined;
  return ELEMENT_ACTIONS.has(step.action);
}

/** Actions whose element is found as a click's would be (the control a person clicks); caching and healing
 * see a click. */
const FOUND_AS_CLICK: ReadonlySet<Step["action"]> = new Set<Step["action"]>(["expand", "collapse", "upload"]);
const discoveryStep = (step: Step): Step => (FOUND_AS_CLICK.has(step.action) ? { ...step, action: "click" } : step);

/** Steps whose element goes through resolveElement (cache, gate, heal); counts and "hidden" have their own polls. */
function resolvesElement(step: Step): boolean {
  return needsElement(step) && !!step.target && step.action !== "expectCount" && !(step.action === "expectState" && step.state === "hidden");
}

/**
 * The step's cache lookup and hit check made ahead of time, to be passed back in `engine.precheck` when the step
 * runs (see precheckElement). Looks at the page without changing it, so it may overlap the previous step's
 * screenshot. Never rejects; null when the step has nothing to look up.
 */
export async function precheckStep(page: Page, step: Step, engine: EngineContext, timeoutMs: number): Promise<Precheck | null> {
  if (!resolvesElement(step)) return null;
  return within(precheckElement(page, discoveryStep(step), engine).catch(() => null), timeoutMs, null);
}

/**
 * The longest a step may take before it is given up on as hung: generous for every legitimate path (settling,
 * discovery, the heal rounds, the action, a navigation, an explicit wait); only a page that stopped answering
 * (Playwright's evaluate has no timeout) gets there.
 */
export function stepWatchdogMs(step: Step, ctx: Pick<StepContext, "stepTimeoutMs" | "navigationTimeoutMs" | "engine">): number {
  return ctx.stepTimeoutMs * ((ctx.engine?.healBudget ?? 3) + 3) + ctx.navigationTimeoutMs + (step.ms ?? 0);
}

export async function executeStep(page: Page, step: Step, ctx: StepContext): Promise<StepResult> {
  const started = performance.now();
  const limit = stepWatchdogMs(step, ctx);
  const hung = (): StepResult => ({
    status: "FAILED",
    durationMs: Math.round(performance.now() - started),
    error: `The step did not finish within ${limit} ms: the page stopped answering (a script may be stuck in a loop)`,
    failure: "TIMEOUT",
  });
  const r = await within(runStep(page, step, ctx, started), limit, null);
  return r ?? hung();
}

/** The element's box lies wholly above or left of the document (left:-9999em), where no scrolling reaches it. */
async function offScreen(loc: Locator): Promise<boolean> {
  return loc
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right + scrollX <= 0 || r.bottom + scrollY <= 0);
    }, undefined, { timeout: 500 })
    .catch(() => false);
}

async function runStep(page: Page, step: Step, ctx: StepContext, started: number): Promise<StepResult> {
  const elapsed = () => Math.round(performance.now() - started);
  let found: Pick<StepResult, "strategy" | "selector" | "confidence" | "locatorCode" | "tried" | "cacheSource" | "healed" | "healVerified" | "healAttempts" | "healRounds" | "revealed" | "note" | "upload"> = {};
  try {
    if (!needsElement(step)) {
      const done = await runPageAction(page, step, ctx);
      if (done) found = { locatorCode: done.locatorCode, note: done.note, upload: done.upload };
    } else if (!step.target) {
      throw new StepFailure("APP", `Step "${step.text}" needs an element but names none`);
    } else if (step.action === "expectCount") {
      found = await expectCount(page, step, ctx.stepTimeoutMs);
    } else if (step.action === "expectState" && step.state === "hidden") {
      await expectElementState(page, step, undefined, ctx.stepTimeoutMs);
    } else {
      let r;
      const finding = discoveryStep(step);
      try {
        r = await resolveElement(page, finding, ctx.stepTimeoutMs, ctx.engine);
      } catch (err) {
        if (!(err instanceof ResolveFailure)) throw err;
        found = { tried: err.tried, ...healInfo(err.attempts, false, false) };
        throw new StepFailure(err.kind, err.message);
      }
      const c = r.candidate;
      found = {
        strategy: c.strategy, selector: c.selector, confidence: c.score, locatorCode: c.code, tried: r.tried,
        cacheSource: r.cacheSource, ...healInfo(r.attempts, r.healed, r.healVerified),
        ...(r.cleared ? { note: `Got an overlay out of the way first: ${dismissals(r.cleared).join(", ")}` } : {}),
      };
      if (r.note) found = { ...found, note: found.note ? `${found.note}; ${r.note}` : r.note };
      const loc = page.locator(c.selector);
      // A row action kept off-screen until its row is hovered (WordPress's "Edit | Trash") cannot be scrolled to.
      const row = finding.target?.within ?? finding.target?.scoped?.within;
      if (rowLike(row) && POINTER_ACTIONS.has(finding.action) && (await offScreen(loc))) await hoverRegion(page, row);
      let outcome: ActionOutcome | void;
      try {
        outcome = await runElementAction(page, step, loc, ctx.stepTimeoutMs, r.known, ctx.uploadDirs);
      } catch (err) {
        // An overlay that arrived after the element was checked (a cookie banner shown a moment after load) takes
        // the click: get it out of the way as heal round 1 would, then act once more on the same element.
        if (!POINTER_ACTIONS.has(finding.action) || !(err instanceof Error) || !/intercepts pointer events/.test(err.message)) throw err;
        const did = await revealTarget(page, loc);
        if (dismissals(did).length === 0) throw err;
        found = { ...found, revealed: did };
        outcome = await runElementAction(page, step, loc, ctx.stepTimeoutMs, r.known, ctx.uploadDirs);
      }
      if (outcome?.codeSuffix && found.locatorCode) found = { ...found, locatorCode: found.locatorCode + outcome.codeSuffix };
      if (outcome?.note) found = { ...found, note: found.note ? `${found.note}; ${outcome.note}` : outcome.note };
      if (outcome?.upload) found = { ...found, upload: outcome.upload };
    }
    return { status: "PASSED", ...found, durationMs: elapsed() };
  } catch (err) {
    return { status: "FAILED", ...found, durationMs: elapsed(), error: shortError(err), failure: classify(err) };
  }
}

export { StepFailure };

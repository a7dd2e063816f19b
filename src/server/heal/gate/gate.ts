// The gate before every element action: readiness first (DOM settled, optional app hook), then the
// element itself: unique, visible (or a hidden native input with a visible label), enabled, and stable (same box
// over two animation frames). A failed gate is a reason string, never an exception.
import type { Locator, Page } from "playwright-core";
import type { StepAction } from "@/domain/step";
import { CHANGES_LIB } from "./hit-check";
import { DEEP_DOM_LIB } from "../page/deep-dom";
import { visibleViaLabel } from "../locate/strategies/probe";
import { within } from "../page/within";

export type GateResult = { ok: true; viaLabel: boolean } | { ok: false; reason: string };

/**
 * Playwright's own actionability checks for these actions include "stable" (same bounding box for two
 * consecutive animation frames) right before acting, so checking it here too would wait two more frames for
 * nothing. fill/select/press and the assertions do not get that check from Playwright, so the gate does it.
 */
const STABLE_CHECKED_BY_ACTION: ReadonlySet<StepAction> = new Set<StepAction>(["click", "dblclick", "hover", "check", "uncheck"]);

const ENABLED_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>(["fill", "type", "clear", "click", "dblclick", "select", "check", "uncheck", "press"]);

/** How long the page is watched for mutations before it may be called settled (about two animation frames). */
export const FIRST_LOOK_MS = 35;

/**
 * Waits until the DOM has had no mutations for `quietMs` (capped at `capMs`), and until `window.__APP_READY__`
 * resolves/is truthy when the app defines it. Never throws: a page that never settles just costs the cap.
 * Resolves true when the page was quiet throughout (no mutation seen, no app hook to wait for): element checks
 * made while it waited are then still valid. `firstLookMs` is how long a quiet page is given to start changing
 * (about two frames by default; longer after an action whose effect comes from the network, such as a scroll).
 */
export async function waitForSettled(page: Page, opts: { quietMs?: number; capMs?: number; firstLookMs?: number } = {}): Promise<boolean> {
  const arg = { quietMs: opts.quietMs ?? 100, capMs: opts.capMs ?? 1000, firstLookMs: opts.firstLookMs ?? FIRST_LOOK_MS };
  // Belt and braces: a page whose main thread is stuck never answers evaluate; do not wait past the cap for it.
  return within(page.evaluate(settleInPage, arg).catch(() => false), arg.capMs + 500, false);
}

// Plain JavaScript in a string like the other in-page probes, so it can share CHANGES_LIB (animation noise such as
// inline styles does not unsettle the page) with the mutation clock and the look-ahead's watch.
const settleInPage = new Function(
  "arg",
  `${CHANGES_LIB}
${DEEP_DOM_LIB}
return new Promise(function (resolve) {
  var started = Date.now();
  // 0 = no mutation seen yet. The first look comes after a short window (about two frames): a page that did not
  // change in it is settled at once instead of paying the whole quiet period on every step.
  var last = 0;
  var finished = false;
  // Every open shadow root too (deep-dom.ts): on a web-component app that is where the changes are.
  var seen;
  var obs = new MutationObserver(function (records) { if (changes(records)) last = Date.now(); if (addedElements(records)) observeDeep(obs, document, MUTATION_OPTIONS, seen); });
  seen = observeDeep(obs, document, MUTATION_OPTIONS);
  function appReady() {
    var hook = window.__APP_READY__;
    if (hook === undefined) return Promise.resolve();
    var v;
    try { v = typeof hook === "function" ? hook() : hook; } catch (e) { return Promise.reject(e); }
    if (v && typeof v.then === "function") return Promise.resolve(v);
    return v ? Promise.resolve() : Promise.reject(new Error("not ready"));
  }
  function done() {
    if (finished) return;
    finished = true;
    obs.disconnect();
    resolve(last === 0 && window.__APP_READY__ === undefined);
  }
  function tick() {
    var now = Date.now();
    if (now - started >= arg.capMs) return done();
    if (now - last < arg.quietMs) return void setTimeout(tick, 25);
    appReady().then(done, function () { setTimeout(tick, 50); });
  }
  // The cap holds even while a never-settling __APP_READY__ promise is pending (tick would not run again).
  setTimeout(done, arg.capMs);
  setTimeout(tick, arg.firstLookMs);
});`,
) as (arg: { quietMs: number; capMs: number; firstLookMs: number }) => Promise<boolean>;

/**
 * The gate decided from facts an in-page probe gathered (hit-check.ts): visible, enabled where the action needs
 * it, and stable. Only a yes is final; a no means "ask checkGate", which uses Playwright's own predicates.
 */
export function passesGateFacts(facts: { visible: boolean; enabled: boolean; stable: boolean | null }, action: StepAction): boolean {
  return facts.visible && (facts.enabled || !needsEnabled(action)) && facts.stable === true;
}

/** Whether the gate requires an enabled element for this action (assertions and hover do not). */
export function needsEnabled(action: StepAction): boolean {
  return ENABLED_ACTIONS.has(action);
}

/** Same bounding box over two animation frames (not animating or still being laid out). */
async function isStable(loc: Locator): Promise<boolean> {
  return loc
    .evaluate(
      (el) =>
        new Promise<boolean>((resolve) => {
          const box = () => {
            const r = el.getBoundingClientRect();
            return `${Math.round(r.x)},${Math.round(r.y)},${Math.round(r.width)},${Math.round(r.height)}`;
          };
          const a = box();
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(box() === a)));
          setTimeout(() => resolve(true), 500); // background tabs throttle rAF; do not hang
        }),
    )
    .catch(() => false);
}

/** Checks one resolved locator against the gate for an action. */
export async function checkGate(loc: Locator, action: StepAction): Promise<GateResult> {
  const n = await loc.count().catch(() => 0);
  if (n !== 1) return { ok: false, reason: n === 0 ? "no longer matches" : `not unique (${n} matches)` };
  let viaLabel = false;
  if (!(await loc.isVisible().catch(() => false))) {
    viaLabel = await visibleViaLabel(loc);
    if (!viaLabel) return { ok: false, reason: "not visible" };
  }
  if (ENABLED_ACTIONS.has(action) && !(await loc.isEnabled().catch(() => false))) return { ok: false, reason: "disabled" };
  if (!viaLabel && !STABLE_CHECKED_BY_ACTION.has(action) && !(await isStable(loc))) {
    // One more chance: a transition that ends within a frame or two is fine.
    await new Promise((r) => setTimeout(r, 100));
    if (!(await isStable(loc))) return { ok: false, reason: "moving (box changed between animation frames)" };
  }
  return { ok: true, viaLabel };
}

/** In-page: a checkbox's, radio's or switch's state, from `checked` or from aria-checked; undefined for anything else. */
const toggleState = (el: Element): boolean | undefined => {
  if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) return el.checked;
  const aria = el.getAttribute("aria-checked");
  return aria === null ? undefined : aria === "true";
};

/**
 * True when a pointer aimed at the element's centre would not reach it: a box of a pixel or less, or something
 * else at that point that is neither the element nor inside it (clipped or pointer-events:none inputs of custom
 * switches, the label or the component drawing them instead).
 */
export async function pointerMisses(loc: Locator): Promise<boolean> {
  return loc
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) return true;
      const root = el.getRootNode() as Document | ShadowRoot;
      const top = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !!top && top !== el && !el.contains(top);
    }, undefined, { timeout: 1000 })
    .catch(() => false);
}

/**
 * Check/uncheck a control whose own input or switch a pointer cannot reach (a visually hidden native input, a
 * clipped role=switch button) through what a person clicks instead: its label, the control naming it in
 * aria-controls, or the web component whose shadow root holds it. Then verifies the state (checked or
 * aria-checked). Returns false when there is nothing to click.
 */
export async function setCheckedViaLabel(loc: Locator, checked: boolean, timeoutMs: number): Promise<boolean> {
  const current = await loc.evaluate(toggleState).catch(() => undefined);
  if (current === undefined) return false;
  if (current === checked) return true;
  const labelHandle = await loc.evaluateHandle((el) => {
    const shown = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 1 && r.height > 1 && getComputedStyle(e).visibility !== "hidden";
    };
    const labels = Array.from((el as HTMLInputElement).labels ?? []);
    const id = el.getAttribute("id");
    const root = el.getRootNode() as Document | ShadowRoot;
    const ctl = id ? root.querySelector(`[aria-controls="${CSS.escape(id)}"]`) : null;
    const host = root instanceof ShadowRoot ? root.host : null;
    return [...labels, ctl, host].find((e): e is Element => !!e && shown(e)) ?? null;
  });
  const label = labelHandle.asElement();
  if (!label) return false;
  await label.click({ timeout: timeoutMs });
  await labelHandle.dispose();
  const after = await loc.evaluate(toggleState);
  if (after !== checked) throw new Error(`Clicking the label did not ${checked ? "check" : "uncheck"} the box`);
  return true;
}

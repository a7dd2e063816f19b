// One round trip that tells whether a cached element can be used as it is: the page is quiet
// (no DOM mutation and no __APP_READY__ hook while it watched), and the element is unique, visible, enabled,
// not painted over, keeps its box over two consecutive animation frames, and still looks like the fingerprint
// stored with it. Every one of those used to be a separate Playwright call (count, isVisible, isEnabled, a stability
// evaluate, a fingerprint evaluate, an overlay evaluate) after a separate settle wait: about 75 ms per cached
// step, where this is the two frames it has to watch anyway.
//
// The answer is only trusted when it is all good. Anything else (a mutation while watching, hidden, disabled,
// covered, moving, several matches) is for the caller's slower path, which checks with Playwright's own
// predicates after waiting for the page to settle: this probe may only make a good hit fast, never turn a bad
// one good. A selector that matches nothing is polled for until the timeout, as a slow page must not look like
// drift.
//
// "Quiet" is read from the document's mutation clock (MUTATION_CLOCK_INIT, an init script of every run's
// context) when it has one, so a page that stopped changing before the look is settled at once; without it
// the look watches with a MutationObserver of its own.
//
// With `watch`, the look returns at once and leaves a watch in the element's document, so the check can be
// made ahead of time (while the previous step's screenshot is taken) and confirmed just before acting with one
// cheap call (`confirmWatched`): nothing in the page changed in between, the selector still matches that very
// element, its box is the same at least one animation frame later (stable), and the page has been quiet long
// enough. Only one watch exists per document; a new inspection replaces it.
import type { Locator } from "playwright-core";
import { ZFingerprint, type Fingerprint } from "@/domain/fingerprint";
import { PAGE_LIB, pageArg, type PageArg } from "../fingerprint/fingerprint-capture";
import { COVERED_LIB } from "../page/covered";
import { DEEP_DOM_LIB, ON_SHADOW_ROOT_INIT } from "../page/deep-dom";

export type Inspection =
  | { kind: "gone" }
  | { kind: "unsure"; reason: string }
  | {
      kind: "seen";
      fingerprint: Fingerprint;
      visible: boolean;
      enabled: boolean;
      /** Something else is painted over the element's centre (only looked at when asked), or a modal dialog it is not in makes it inert. */
      covered: boolean;
      /** Same box in two consecutive animation frames; null when the frames did not come within 500 ms, and
       *  for a watching look (then judged by confirmWatched). */
      stable: boolean | null;
      /** No DOM mutation while watching, and the page defines no __APP_READY__ hook. */
      quiet: boolean;
      /** A watch was left running (all in-page facts were good and `watch` was asked for). */
      watching: boolean;
    };

type InspectArg = PageArg & { covered: boolean; needEnabled: boolean; watch: boolean; minQuietMs: number };

// The page-side slots of the current watch and of the document's mutation clock. Registered symbols: no string
// property on the app's window.
const WATCH_SLOT = `Symbol.for("pacts.hit-watch")`;
const CLOCK_SLOT = `Symbol.for("pacts.mutation-clock")`;

/**
 * Attribute changes that animate or repaint rather than restructure the page, and so do not keep it from being
 * "settled": inline styles (JS-driven animations and sliders, Playwright hiding the text caret around every
 * screenshot), progress values, and any attribute of an SVG element (spinners, charts). A page with a ticker or
 * a carousel animating from JavaScript mutates these every frame and would otherwise never be quiet, costing
 * every step the full settle cap. They cannot swap one element for another; what they can do to the target
 * itself (hide it, move it, put something over it) is checked on the target: visible, same box over two frames,
 * nothing painted over it (also when a look made ahead of the step is confirmed).
 */
export const SETTLE_NOISE = { attributes: ["style", "aria-valuenow", "aria-valuetext"], svgNamespace: "http://www.w3.org/2000/svg" } as const;

// Whether mutation records change the page (see SETTLE_NOISE for what does not count). Shared with the settle
// wait (gate.ts), so "the page changed" means the same thing everywhere.
export const CHANGES_LIB = String.raw`
var NOISE = ${JSON.stringify(SETTLE_NOISE)};
function changes(records) {
  for (var i = 0; i < records.length; i++) {
    var r = records[i];
    if (r.type === "attributes" && (NOISE.attributes.indexOf(r.attributeName) >= 0 || r.target.namespaceURI === NOISE.svgNamespace)) continue;
    return true;
  }
  return false;
}
var MUTATION_OPTIONS = { subtree: true, childList: true, attributes: true, characterData: true };
`;

/**
 * An init script for every run's browser context (browser.ts): each document keeps, from its creation, the time
 * of its last DOM change. "Quiet for 35 ms" then counts from that change, so a page that stopped changing
 * before anyone looked is settled at once instead of after 35 ms of watching.
 */
export const MUTATION_CLOCK_INIT = `(function () {
${CHANGES_LIB}
var slot = ${CLOCK_SLOT};
if (window[slot]) return;
var clock = { last: performance.now() };
Object.defineProperty(window, slot, { value: clock, configurable: true });
var obs = new MutationObserver(function (records) { if (changes(records)) clock.last = performance.now(); });
obs.observe(document, MUTATION_OPTIONS);
// A shadow root is a tree of its own, which the document's observer does not see into: each one joins as it is
// attached (an app on web components changes nothing else).
${ON_SHADOW_ROOT_INIT}
onShadowRoots(function (root) { obs.observe(root, MUTATION_OPTIONS); clock.last = performance.now(); });
})();`;

// A watch over the element's document from now on: its mutation clock when it has one, else a MutationObserver
// of its own (a page opened without the init script).
const WATCH_LIB = `${DEEP_DOM_LIB}
function startWatch(el) {
  var clock = window[${CLOCK_SLOT}];
  var w = { el: el, since: performance.now(), mutated: false, obs: null, framed: false };
  if (!clock) {
    var seen;
    w.obs = new MutationObserver(function (records) { if (changes(records)) w.mutated = true; if (addedElements(records)) observeDeep(w.obs, document, MUTATION_OPTIONS, seen); });
    seen = observeDeep(w.obs, document, MUTATION_OPTIONS);
  }
  requestAnimationFrame(function () { w.framed = true; });
  w.changed = function () {
    if (clock) return clock.last > w.since;
    if (changes(w.obs.takeRecords())) w.mutated = true;
    return w.mutated;
  };
  // How long the document has been quiet: since its last change (clock), or since the watch began.
  w.quietFor = function () {
    if (clock) return performance.now() - clock.last;
    return w.changed() ? 0 : performance.now() - w.since;
  };
  w.stop = function () { if (w.obs) w.obs.disconnect(); };
  return w;
}
function boxOf(el) {
  var r = el.getBoundingClientRect();
  return Math.round(r.x) + "," + Math.round(r.y) + "," + Math.round(r.width) + "," + Math.round(r.height);
}
`;

// Plain JavaScript for the same reason as fingerprint-capture.ts (no transpiler helpers in the page).
const inspectInPage = new Function(
  "els",
  "arg",
  `${PAGE_LIB}
${COVERED_LIB}
${CHANGES_LIB}
${WATCH_LIB}
var slot = ${WATCH_SLOT};
if (window[slot]) { window[slot].stop(); delete window[slot]; }
if (els.length !== 1) return { count: els.length };
var el = els[0];
var w = startWatch(el);
var facts = {
  fingerprint: fingerprint(el, null),
  visible: isVisible(el),
  enabled: !(el.matches(":disabled") || el.closest("[aria-disabled=true]")),
  covered: arg.covered ? covered(el) : blockedByModal(el),
  watching: false
};
var factsGood = facts.visible && (facts.enabled || !arg.needEnabled) && !facts.covered;
if (arg.watch) {
  // Stability and quiet are judged when the watch is confirmed: same box at least one frame later, and no
  // change since this look. Nothing to wait for now.
  facts.stable = null;
  facts.quiet = !w.changed() && window.__APP_READY__ === undefined;
  if (factsGood && facts.quiet) {
    w.box = boxOf(el);
    window[slot] = w;
    facts.watching = true;
  } else w.stop();
  return facts;
}
return new Promise(function (resolve) {
  var done = false;
  function finish(stable) {
    if (done) return;
    done = true;
    w.stop();
    facts.stable = stable;
    facts.quiet = !w.changed() && w.quietFor() >= arg.minQuietMs && window.__APP_READY__ === undefined;
    resolve(facts);
  }
  // The box in two consecutive animation frames (what Playwright calls stable); then the page must have been
  // quiet for minQuietMs. Timers may fire a fraction of a millisecond early by performance.now(), so the
  // remaining quiet time is re-checked rather than trusted.
  requestAnimationFrame(function () {
    var before = boxOf(el);
    requestAnimationFrame(function () {
      var stable = boxOf(el) === before;
      (function waitQuiet() {
        var left = arg.minQuietMs - w.quietFor();
        if (left > 0 && !w.changed()) setTimeout(waitQuiet, left + 1);
        else finish(stable);
      })();
    });
  });
  setTimeout(function () { finish(null); }, 500 + arg.minQuietMs);
});`,
) as (els: Element[], arg: InspectArg) => unknown;

const confirmInPage = new Function(
  "els",
  "arg",
  `${CHANGES_LIB}
${WATCH_LIB}
${COVERED_LIB}
var minQuietMs = arg.minQuietMs;
var slot = ${WATCH_SLOT};
var w = window[slot];
if (!w) return false;
function answer() {
  var ok = !w.changed() && els.length === 1 && els[0] === w.el && boxOf(w.el) === w.box && !(arg.covered ? covered(w.el) : blockedByModal(w.el));
  w.stop();
  if (window[slot] === w) delete window[slot];
  return ok;
}
function ready() { return w.changed() || (w.framed && w.quietFor() >= minQuietMs); }
if (ready()) return answer();
// Wait for the frame that makes "same box" mean two frames, and for the rest of the quiet period.
return new Promise(function (resolve) {
  var settled = false;
  function done(v) { if (!settled) { settled = true; resolve(v); } }
  setTimeout(function () { if (!settled) { w.stop(); if (window[slot] === w) delete window[slot]; done(false); } }, 500 + minQuietMs);
  (function wait() {
    if (settled) return;
    if (ready()) return done(answer());
    if (!w.framed) return requestAnimationFrame(function () { w.framed = true; wait(); });
    setTimeout(wait, minQuietMs - w.quietFor() + 1);
  })();
});`,
) as (els: Element[], arg: { minQuietMs: number; covered: boolean }) => boolean | Promise<boolean>;

export type InspectOptions = {
  /** How long to poll for a selector that matches nothing (0: one look). */
  timeoutMs: number;
  /** Look for something painted over the element (pointer actions); a modal dialog around it is always looked for. */
  covered: boolean;
  /** The action needs an enabled element (decides, with the rest, whether a watch is left running). */
  needEnabled?: boolean;
  /** Leave a watch running after a good answer (see confirmWatched). */
  watch?: boolean;
  /** Watch the page for mutations at least this long (default: one animation frame). */
  minQuietMs?: number;
  /**
   * While nothing matches: asked every GONE_ASK_EVERY_MS whether the wait can stop (the element is known to be
   * somewhere else now); true ends it as `gone` before the timeout.
   */
  goneWhen?: () => Promise<boolean>;
};

/** How often `goneWhen` is asked while a selector matches nothing. */
const GONE_ASK_EVERY_MS = 300;

/**
 * Inspects the one element `locator` matches. `gone`: nothing matched within `timeoutMs` (polled every 100 ms);
 * `unsure`: several matches, or the page would not answer; `seen`: the facts, to be trusted only when all of
 * them are good. evaluateAll, not evaluate: Playwright's evaluate first waits for the element on its
 * animation-frame poll, one more frame per call.
 */
export async function inspectElement(locator: Locator, opts: InspectOptions): Promise<Inspection> {
  const deadline = Date.now() + opts.timeoutMs;
  let nextAsk = 0;
  const arg: InspectArg = { ...pageArg(), neighbours: false, covered: opts.covered, needEnabled: opts.needEnabled ?? true, watch: opts.watch ?? false, minQuietMs: opts.minQuietMs ?? 0 };
  for (;;) {
    let raw: unknown;
    try {
      raw = await locator.evaluateAll(inspectInPage, arg);
    } catch (err) {
      return { kind: "unsure", reason: err instanceof Error ? err.message.split("\n")[0]! : String(err) };
    }
    const r = raw as { count?: number; fingerprint: unknown; visible: boolean; enabled: boolean; covered: boolean; stable: boolean | null; quiet: boolean; watching: boolean };
    if (r.count === undefined) {
      const fp = ZFingerprint.safeParse(r.fingerprint);
      if (!fp.success) {
        if (r.watching) await confirmWatched(locator);
        return { kind: "unsure", reason: "fingerprint did not parse" };
      }
      return { kind: "seen", fingerprint: fp.data, visible: r.visible, enabled: r.enabled, covered: r.covered, stable: r.stable, quiet: r.quiet, watching: r.watching };
    }
    if (r.count > 1) return { kind: "unsure", reason: `${r.count} matches` };
    if (Date.now() >= deadline) return { kind: "gone" };
    if (opts.goneWhen && Date.now() >= nextAsk) {
      nextAsk = Date.now() + GONE_ASK_EVERY_MS;
      if (await opts.goneWhen().catch(() => false)) return { kind: "gone" };
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * Ends the watch an inspection left running: true when nothing in the element's document changed since, the
 * locator still matches exactly the element that was inspected, and that element has not moved. A watch younger than `minQuietMs` is
 * first let run to that age (the quiet period the settle wait would have asked for). Never throws; false on
 * any doubt.
 */
export async function confirmWatched(locator: Locator, minQuietMs = 0, opts: { covered?: boolean } = {}): Promise<boolean> {
  return locator.evaluateAll(confirmInPage, { minQuietMs, covered: opts.covered ?? false }).catch(() => false);
}

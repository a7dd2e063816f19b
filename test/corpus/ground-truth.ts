// Ground truth for the drift corpus, kept out of the DOM so the heal engine cannot read it by accident.
//
// How it works: the harness installs GROUND_TRUTH_INIT_SCRIPT with context.addInitScript(). It defines
// `window.__gt.register(element, key)`; each corpus page calls it from an inline script (which then removes itself,
// so not even script text is left in the DOM). Keys live in a WeakMap inside the init script's closure: nothing is
// written to attributes, classes, ids or text, so no selector or fingerprint can contain a key.
// The init script listens in the capture phase for click/input/change/keydown/dblclick and pushes
// {type, key} to window.__pactsGtLog, where key is the registered key of the innermost registered element on the
// event's composed path (so events inside open shadow roots and on a button's inner <span> count for the element).
// Same-origin child frames (srcdoc iframes) share the top frame's registry and log.
//
// The engine must never touch these globals; GROUND_TRUTH_GLOBALS is the deny-list a test greps the engine for.
import type { Page } from "playwright-core";

export const GROUND_TRUTH_GLOBALS = ["__gt", "__pactsGtLog", "__pactsGtKey"] as const;

/** Keys with this prefix are helpers a healer may legitimately use anywhere (cookie banner "Accept", "Close"). */
export const AUX_KEY_PREFIX = "aux:";

export type GtEvent = {
  seq: number;
  type: "click" | "dblclick" | "input" | "change" | "keydown";
  /** Registered key of the innermost registered element on the event path; null for unregistered elements. */
  key: string | null;
  trusted: boolean;
  /** "top" or "child" (an event inside a same-origin iframe). */
  frame: "top" | "child";
};

// Plain ES2015 in a string: it runs in the page before any page script, in every frame.
export const GROUND_TRUTH_INIT_SCRIPT = `(() => {
  if (Object.prototype.hasOwnProperty.call(window, "__gt")) return;
  var hidden = function (name, value) {
    Object.defineProperty(window, name, { value: value, enumerable: false, configurable: false, writable: false });
  };
  var topGt = null;
  try { if (window.top !== window && window.top.__gt) topGt = window.top.__gt; } catch (e) { topGt = null; }
  if (topGt) {
    hidden("__gt", topGt);
    hidden("__pactsGtKey", topGt.keyOf);
    topGt.listen(window);
    return;
  }
  var keys = new WeakMap();
  var listened = new WeakSet();
  var log = [];
  var seq = 0;
  var keyOf = function (node, exact) {
    var n = node;
    while (n) {
      if (keys.has(n)) return keys.get(n);
      if (exact) return null;
      n = n.parentNode || n.host || null;
    }
    return null;
  };
  var listen = function (win) {
    if (!win || listened.has(win)) return;
    listened.add(win);
    ["click", "dblclick", "input", "change", "keydown"].forEach(function (type) {
      win.addEventListener(type, function (e) {
        var path = e.composedPath ? e.composedPath() : [];
        var target = path.length ? path[0] : e.target;
        log.push({ seq: ++seq, type: type, key: keyOf(target, false), trusted: e.isTrusted, frame: win === window ? "top" : "child" });
      }, true);
    });
  };
  var register = function (el, key) {
    if (!el || typeof key !== "string") throw new Error("__gt.register needs an element and a key");
    keys.set(el, key);
    var doc = el.ownerDocument;
    var w = doc && doc.defaultView;
    if (w && w !== window) listen(w);
  };
  hidden("__gt", Object.freeze({ register: register, keyOf: keyOf, listen: listen }));
  hidden("__pactsGtKey", keyOf);
  hidden("__pactsGtLog", log);
  listen(window);
})();`;

/** Reads (and by default drains) the action log of the page's top frame. */
export async function readGroundTruthLog(page: Page, opts: { drain?: boolean } = {}): Promise<GtEvent[]> {
  const drain = opts.drain ?? true;
  return page.evaluate((d) => {
    const log = (window as unknown as { __pactsGtLog?: unknown[] }).__pactsGtLog;
    if (!log) throw new Error("ground-truth init script is not installed on this page");
    return (d ? log.splice(0) : log.slice()) as never;
  }, drain);
}

/**
 * Every registered key on elements currently in the page: the document, open shadow roots and same-origin frames.
 * Used to prove a decoy's target is truly gone on v2 (and that its look-alike is there).
 */
export async function listLiveKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const keyOf = (window as unknown as { __pactsGtKey?: (n: Node, exact: boolean) => string | null }).__pactsGtKey;
    if (!keyOf) throw new Error("ground-truth init script is not installed on this page");
    const found = new Set<string>();
    const walk = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll("*"))) {
        const k = keyOf(el, true);
        if (k !== null) found.add(k);
        if (el.shadowRoot) walk(el.shadowRoot);
        if (el instanceof HTMLIFrameElement) {
          try {
            if (el.contentDocument) walk(el.contentDocument);
          } catch {
            // cross-origin frame: the corpus has none
          }
        }
      }
    };
    walk(document);
    return [...found].sort();
  });
}

export type ExecutedStep = { line: number; events: GtEvent[] };
export type GtViolation = {
  line: number;
  kind: "wrong-element" | "stray" | "unexpected";
  /** The key the step should have acted on (undefined for steps without an element action). */
  expected?: string;
  got: string | null;
  type: GtEvent["type"];
};
export type GtReport = {
  /** True when no step acted on a wrong element. */
  ok: boolean;
  /** Actions on an element other than the step's target: the number the corpus is judged on (must be 0). */
  wrongElementActions: GtViolation[];
  /** Steps with a ground-truth key that produced no event on that element (the step did not act on it). */
  missed: number[];
};

/**
 * Judges the executed steps against a case's groundTruth ({"<line>": "<key>"}).
 * - wrong-element: an event on a registered element whose key is not the step's key (aux:* keys are allowed).
 * - stray: a click/dblclick/input/change on an unregistered element (every interactive element in the corpus is
 *   registered, so this is an action on something no step names). keydown on nothing (the body) is ignored.
 * - unexpected: a step with no ground truth (an assertion or wait) acted on a registered, non-aux element.
 */
export function checkGroundTruth(groundTruth: Record<string, string>, executed: ExecutedStep[]): GtReport {
  const wrong: GtViolation[] = [];
  const missed: number[] = [];
  // A text field fires `change` when it loses focus, i.e. during the NEXT step: that event belongs to the step
  // that typed into it, so a change on a field some earlier step already edited is not a new action.
  const edited = new Set<string>();
  for (const step of executed) {
    const expected = groundTruth[String(step.line)];
    let hit = false;
    for (const ev of step.events) {
      if (ev.type === "change" && ev.key !== null && ev.key !== expected && edited.has(ev.key)) continue;
      if (ev.type === "input" && ev.key !== null) edited.add(ev.key);
      if (ev.key === null) {
        if (ev.type !== "keydown") wrong.push({ line: step.line, kind: "stray", expected, got: null, type: ev.type });
        continue;
      }
      if (ev.key.startsWith(AUX_KEY_PREFIX)) continue;
      if (expected === undefined) {
        wrong.push({ line: step.line, kind: "unexpected", got: ev.key, type: ev.type });
      } else if (ev.key === expected) {
        hit = true;
      } else {
        wrong.push({ line: step.line, kind: "wrong-element", expected, got: ev.key, type: ev.type });
      }
    }
    if (expected !== undefined && !hit) missed.push(step.line);
  }
  return { ok: wrong.length === 0, wrongElementActions: wrong, missed };
}

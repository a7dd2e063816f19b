// Capture element fingerprints (src/domain/fingerprint.ts) from a live page, for the similarity scorer
// (similarity.ts): captureFingerprint when an element is first found, captureCandidates to fingerprint every
// interactive-looking element of a changed page for re-scoring.
//
// Each call is ONE round trip into the page. The in-page code is kept as plain JavaScript source in a string
// and turned into a function with `new Function`, rather than written as a TypeScript arrow function:
// Playwright ships a function to the page by its source text, and TS transpilers (esbuild with keepNames,
// as tsx uses) wrap named inner functions in a `__name(…)` helper that does not exist in the page
// ("ReferenceError: __name is not defined"). A string is immune to whatever compiles this file.
//
// What is captured, per element (see the schema for the field list):
// - xpath: absolute, /html[1]/body[1]/… with indices among same-tag siblings (Similo's xpath). Inside an
//   open shadow root it is the host's xpath + "/#shadow-root" + the path inside the root.
// - idxpath: the same path anchored at the nearest ancestor whose id is STABLE (isVolatileToken false; the
//   scorer's own patterns are passed in), e.g. //*[@id="login"]/div[2]/input[1].
// - x, y, width, height: the border box in page coordinates (viewport + scroll); area and shape derived.
// - label: simplified accessible name: aria-labelledby, aria-label, label[for] / wrapping label, then for
//   buttons/links/name-from-content roles the text, value or alt, then title, then placeholder.
// - neighborText: the nearest visible text box in each direction (above/below/left/right) within 200px,
//   excluding the element's own text, nearest first.
// Elements inside iframes: call these with the Frame (or a locator in it); coordinates are frame-relative.
import type { Frame, Locator, Page } from "playwright-core";
import { ZFingerprint, type Fingerprint } from "@/domain/fingerprint";
import { VOLATILE_PATTERNS } from "./similarity";

/** Neighbour texts further than this (CSS px, gap between boxes) are not neighbours. */
export const NEIGHBOR_RADIUS_PX = 200;

/** What counts as a candidate: interactive elements, anything with a role or tabindex, labels. */
export const CANDIDATE_SELECTOR = [
  "input:not([type=hidden])", "button", "a[href]", "select", "textarea", "summary", "label",
  "[role]", "[tabindex]", "[contenteditable]:not([contenteditable=false])", "[onclick]",
].join(",");

export type PageArg = {
  volatile: [string, string][];
  radius: number;
  selector: string;
  tags: string[] | null;
  includeHidden: boolean;
  includePointer: boolean;
  max: number;
  /** false: skip the neighbour-text scan (it walks every text node of the page). */
  neighbours: boolean;
};

// The in-page library. Plain ES2020, no TypeScript, no imports, no outer references: see the header.
// Exported for other single-round-trip probes (hit-check.ts) that need a fingerprint along with other facts.
export const PAGE_LIB = String.raw`
var VOL = arg.volatile.map(function (p) { return new RegExp(p[0], p[1]); });
function isVolatile(s) {
  s = (s || "").trim();
  if (!s) return false;
  for (var i = 0; i < VOL.length; i++) if (VOL[i].test(s)) return true;
  return false;
}
function clean(s, max) {
  if (s === null || s === undefined) return undefined;
  s = String(s).replace(/\s+/g, " ").trim();
  if (!s) return undefined;
  return max && s.length > max ? s.slice(0, max) : s;
}
function round(n) { return Math.round(n * 10) / 10; }
function isVisible(el) {
  var r = el.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) return false;
  var cs = getComputedStyle(el);
  if (cs.display === "none" || cs.visibility === "hidden" || cs.visibility === "collapse") return false;
  return true;
}
function stepOf(n) {
  var tag = n.localName, i = 1;
  for (var s = n.previousElementSibling; s; s = s.previousElementSibling) if (s.localName === tag) i++;
  return tag + "[" + i + "]";
}
function xpathOf(el) {
  var parts = [], n = el;
  for (; n && n.nodeType === 1; n = n.parentElement) parts.unshift(stepOf(n));
  var root = el.getRootNode();
  var prefix = root && root.host ? xpathOf(root.host) + "/#shadow-root" : "";
  return prefix + "/" + parts.join("/");
}
function idxpathOf(el) {
  var parts = [];
  for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
    var id = n.getAttribute("id");
    if (id && !isVolatile(id) && id.indexOf('"') < 0) {
      return '//*[@id="' + id + '"]' + (parts.length ? "/" + parts.join("/") : "");
    }
    parts.unshift(stepOf(n));
  }
  return xpathOf(el);
}
function byId(el, id) {
  var root = el.getRootNode();
  return root && root.getElementById ? root.getElementById(id) : document.getElementById(id);
}
// A label's own text: its text nodes outside the controls it wraps. Read in place: a clone (even a detached one)
// creates nodes in the document, which makes Chromium drop every element's cached "labels" list, and the next
// label lookup on a page with many buttons (Playwright's getByLabel) then costs hundreds of milliseconds.
var NOT_LABEL_TEXT = { input: 1, select: 1, textarea: 1, button: 1, script: 1, style: 1, template: 1 };
function textWithoutControls(node) {
  var out = "";
  (function visit(n) {
    for (var c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue;
      else if (c.nodeType === 1 && !NOT_LABEL_TEXT[c.localName]) visit(c);
    }
  })(node);
  return clean(out, 200);
}
var NAME_FROM_CONTENT = { button: 1, link: 1, tab: 1, menuitem: 1, menuitemcheckbox: 1, menuitemradio: 1,
  option: 1, checkbox: 1, radio: 1, "switch": 1, treeitem: 1, heading: 1, cell: 1, gridcell: 1, columnheader: 1,
  rowheader: 1, tooltip: 1 };
function implicitRole(el) {
  var tag = el.localName, type = (el.getAttribute("type") || "").toLowerCase();
  if (tag === "button") return "button";
  if (tag === "a" || tag === "area") return el.hasAttribute("href") ? "link" : undefined;
  if (tag === "select") return el.multiple || el.size > 1 ? "listbox" : "combobox";
  if (tag === "textarea") return "textbox";
  if (tag === "option") return "option";
  if (tag === "img") return el.getAttribute("alt") === "" ? "presentation" : "img";
  if (/^h[1-6]$/.test(tag)) return "heading";
  if (tag === "input") {
    if (type === "checkbox") return "checkbox";
    if (type === "radio") return "radio";
    if (type === "range") return "slider";
    if (type === "number") return "spinbutton";
    if (type === "search") return "searchbox";
    if (type === "button" || type === "submit" || type === "reset" || type === "image") return "button";
    if (type === "" || type === "text" || type === "email" || type === "tel" || type === "url") return "textbox";
  }
  return undefined;
}
function roleOf(el) {
  var r = clean(el.getAttribute("role"));
  return r ? r.split(" ")[0].toLowerCase() : implicitRole(el);
}
function accessibleLabel(el, role, text) {
  var ids = clean(el.getAttribute("aria-labelledby"));
  if (ids) {
    var parts = [];
    ids.split(" ").forEach(function (id) {
      var ref = byId(el, id);
      var t = ref && clean(ref.innerText || ref.textContent);
      if (t) parts.push(t);
    });
    if (parts.length) return clean(parts.join(" "), 200);
  }
  var aria = clean(el.getAttribute("aria-label"), 200);
  if (aria) return aria;
  var labels = el.labels ? Array.prototype.slice.call(el.labels) : [];
  if (!labels.length && el.closest) {
    var wrap = el.parentElement && el.parentElement.closest("label");
    if (wrap) labels = [wrap];
  }
  var lt = labels.map(textWithoutControls).filter(Boolean).join(" ");
  if (lt) return clean(lt, 200);
  var tag = el.localName, type = (el.getAttribute("type") || "").toLowerCase();
  if (tag === "input" && (type === "submit" || type === "button" || type === "reset")) {
    var v = clean(el.getAttribute("value"), 200);
    if (v) return v;
  }
  if (tag === "input" && type === "image") {
    var a = clean(el.getAttribute("alt"), 200);
    if (a) return a;
  }
  if (role && NAME_FROM_CONTENT[role] && text) return text;
  if (tag === "img") {
    var alt = clean(el.getAttribute("alt"), 200);
    if (alt) return alt;
  }
  var title = clean(el.getAttribute("title"), 200);
  if (title) return title;
  // HTML-AAM: a text field with no label is named by its placeholder, as browsers' accessible names are, so a
  // redesign that turns a label into a placeholder keeps the field's identity.
  return clean(el.getAttribute("placeholder") || el.getAttribute("aria-placeholder"), 200);
}
var SKIP_TEXT_PARENTS = { script: 1, style: 1, noscript: 1, template: 1, option: 1, title: 1 };
function collectTextBoxes() {
  var boxes = [], visCache = new Map(), range = document.createRange();
  function parentVisible(p) {
    if (visCache.has(p)) return visCache.get(p);
    var cs = getComputedStyle(p);
    var v = cs.display !== "none" && cs.visibility !== "hidden" && cs.visibility !== "collapse" && cs.opacity !== "0";
    visCache.set(p, v);
    return v;
  }
  function walk(root) {
    var tw = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = tw.nextNode(); node; node = tw.nextNode()) {
      var p = node.parentElement;
      if (!p || SKIP_TEXT_PARENTS[p.localName]) continue;
      var t = clean(node.nodeValue, 80);
      if (!t) continue;
      range.selectNodeContents(node);
      var r = range.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0 || !parentVisible(p)) continue;
      boxes.push({ text: t, node: node, left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    }
  }
  walk(document.body || document.documentElement);
  deepElements(document).forEach(function (e) { if (e.shadowRoot) walk(e.shadowRoot); });
  return boxes;
}
function deepElements(root) {
  var out = [];
  function visit(r) {
    var all = r.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      out.push(all[i]);
      if (all[i].shadowRoot) visit(all[i].shadowRoot);
    }
  }
  visit(root);
  return out;
}
function containsDeep(el, node) {
  for (var n = node; n; ) {
    if (n === el) return true;
    n = n.parentNode || (n.host || null);
  }
  return false;
}
function neighborsOf(el, r, boxes) {
  var best = {};
  var cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
  for (var i = 0; i < boxes.length; i++) {
    var b = boxes[i];
    var dx = Math.max(0, b.left - r.right, r.left - b.right);
    var dy = Math.max(0, b.top - r.bottom, r.top - b.bottom);
    var d = Math.sqrt(dx * dx + dy * dy);
    if (d > arg.radius) continue;
    if (containsDeep(el, b.node)) continue;
    var bx = (b.left + b.right) / 2, by = (b.top + b.bottom) / 2;
    var dir = dy > dx ? (by < cy ? "above" : "below") : (bx < cx ? "left" : "right");
    if (!best[dir] || d < best[dir].d) best[dir] = { d: d, text: b.text };
  }
  var list = ["above", "below", "left", "right"].map(function (k) { return best[k]; }).filter(Boolean);
  list.sort(function (a, b) { return a.d - b.d; });
  var seen = {}, out = [];
  list.forEach(function (x) { if (!seen[x.text]) { seen[x.text] = 1; out.push(x.text); } });
  return out.length ? out : undefined;
}
// The element's place: its nearest form, fieldset, dialog, section or landmark (across shadow roots), that
// container's name and, for a form, its submit button's text.
var PLACE_ROLES = { form: "form", search: "search", group: "group", dialog: "dialog", alertdialog: "dialog", region: "region",
  article: "article", navigation: "navigation", banner: "banner", contentinfo: "contentinfo", main: "main", complementary: "complementary" };
var PLACE_TAGS = { form: "form", fieldset: "group", dialog: "dialog", section: "region", article: "article", nav: "navigation",
  header: "banner", footer: "contentinfo", main: "main", aside: "complementary" };
function upOf(n) {
  if (n.parentElement) return n.parentElement;
  var root = n.getRootNode && n.getRootNode();
  return root && root.host ? root.host : null;
}
function placeNameOf(n) {
  var ids = clean(n.getAttribute("aria-labelledby"));
  if (ids) {
    var parts = [];
    ids.split(" ").forEach(function (id) { var ref = byId(n, id); var t = ref && clean(ref.textContent, 80); if (t) parts.push(t); });
    if (parts.length) return clean(parts.join(" "), 80);
  }
  var aria = clean(n.getAttribute("aria-label"), 80);
  if (aria) return aria;
  var legend = n.localName === "fieldset" && n.querySelector("legend");
  if (legend) return clean(legend.textContent, 80);
  var h = n.querySelector("h1,h2,h3,h4,h5,h6,[role=heading]");
  return h ? clean(h.textContent, 80) : undefined;
}
// One page-wide capture asks the same container for its name and buttons once per control in it: keep them.
var PLACE_NAMES = new Map(), PLACE_BUTTONS = new Map();
function placeActionOf(n, el) {
  var bs = PLACE_BUTTONS.get(n);
  if (!bs) { bs = n.querySelectorAll("button[type=submit],input[type=submit],button:not([type])"); PLACE_BUTTONS.set(n, bs); }
  for (var i = 0; i < bs.length; i++) {
    if (bs[i] === el) continue;
    return clean(bs[i].localName === "input" ? bs[i].value : bs[i].textContent, 80);
  }
  return undefined;
}
function placeOf(el) {
  for (var n = upOf(el); n && n.nodeType === 1; n = upOf(n)) {
    var r = (n.getAttribute("role") || "").split(" ")[0].toLowerCase();
    var kind = PLACE_ROLES[r] || PLACE_TAGS[n.localName];
    if (!kind) continue;
    if (!PLACE_NAMES.has(n)) PLACE_NAMES.set(n, placeNameOf(n));
    return { kind: kind, name: PLACE_NAMES.get(n), action: kind === "form" || kind === "search" ? placeActionOf(n, el) : undefined };
  }
  return { kind: "page", name: undefined, action: undefined };
}
var TEST_ID_ATTRS = ["data-testid", "data-test-id", "data-test", "data-qa", "data-cy"];
function fingerprint(el, boxes) {
  var tag = el.localName;
  var isField = tag === "input" || tag === "select" || tag === "textarea";
  var r = el.getBoundingClientRect();
  var text = isField ? undefined : clean(el.innerText, 200);
  var role = roleOf(el);
  var type = tag === "input" || tag === "button" ? String(el.type || "").toLowerCase() || undefined : undefined;
  var testId;
  for (var i = 0; i < TEST_ID_ATTRS.length && !testId; i++) testId = clean(el.getAttribute(TEST_ID_ATTRS[i]));
  var value;
  if (tag === "input" && /^(submit|button|reset|checkbox|radio)$/.test(type || "")) value = clean(el.getAttribute("value"), 200);
  var w = round(r.width), h = round(r.height);
  var place = placeOf(el);
  return {
    tag: tag,
    id: clean(el.getAttribute("id")),
    name: clean(el.getAttribute("name")),
    "class": clean(el.getAttribute("class")),
    type: type,
    href: clean(el.getAttribute("href")),
    alt: clean(el.getAttribute("alt")),
    text: text,
    xpath: xpathOf(el),
    idxpath: idxpathOf(el),
    x: round(r.left + window.scrollX),
    y: round(r.top + window.scrollY),
    width: w,
    height: h,
    area: Math.round(w * h),
    shape: h > 0 ? Math.round((w / h) * 1000) / 1000 : undefined,
    neighborText: boxes ? neighborsOf(el, r, boxes) : undefined,
    visible: isVisible(el),
    ariaLabel: clean(el.getAttribute("aria-label")),
    role: role,
    testId: testId,
    placeholder: clean(el.getAttribute("placeholder") || el.getAttribute("aria-placeholder")),
    label: accessibleLabel(el, role, text),
    title: clean(el.getAttribute("title")),
    value: value,
    placeKind: place.kind,
    placeName: place.name,
    placeAction: place.action
  };
}
`;

// Playwright calls these as fn(element, arg) and fn(arg) respectively.
const captureOneInPage = new Function("el", "arg", `${PAGE_LIB}\nreturn fingerprint(el, arg.neighbours ? collectTextBoxes() : null);`) as (
  el: Element,
  arg: PageArg,
) => unknown;

const captureAllInPage = new Function(
  "arg",
  `${PAGE_LIB}
var all = deepElements(document);
var picked = [];
for (var i = 0; i < all.length && picked.length < arg.max; i++) {
  var el = all[i];
  if (arg.tags && arg.tags.indexOf(el.localName) < 0) continue;
  var match = el.matches(arg.selector);
  if (!match && arg.includePointer && !arg.tags) {
    // "Label-less clickables": a div/span styled as clickable, but not every descendant of one.
    var cs = getComputedStyle(el);
    match = cs.cursor === "pointer" && !(el.parentElement && getComputedStyle(el.parentElement).cursor === "pointer");
  }
  if (!match) continue;
  if (!arg.includeHidden && !isVisible(el)) continue;
  picked.push(el);
}
var boxes = collectTextBoxes();
return picked.map(function (el) { return fingerprint(el, boxes); });`,
) as (arg: PageArg) => unknown[];

export function pageArg(opts: CaptureCandidatesOptions = {}): PageArg {
  return {
    volatile: VOLATILE_PATTERNS.map((re) => [re.source, re.flags]),
    radius: NEIGHBOR_RADIUS_PX,
    selector: CANDIDATE_SELECTOR,
    tags: opts.tags ? opts.tags.map((t) => t.toLowerCase()) : null,
    includeHidden: opts.includeHidden ?? false,
    includePointer: opts.includePointer ?? true,
    max: opts.max ?? 2000,
    neighbours: true,
  };
}

/** Fingerprint one element (the locator must resolve to exactly one; Playwright's strictness applies). */
/**
 * Fingerprints one element. `neighbours: false` skips the neighbour texts, whose scan walks every text node of
 * the page: enough to re-check a cached element (the scorer neither rewards nor punishes a missing attribute),
 * not for storing a fingerprint a later heal will search with.
 */
export async function captureFingerprint(locator: Locator, opts: { timeout?: number; neighbours?: boolean } = {}): Promise<Fingerprint> {
  const raw = await locator.evaluate(captureOneInPage, { ...pageArg(), neighbours: opts.neighbours ?? true }, { timeout: opts.timeout });
  return ZFingerprint.parse(raw);
}

export type CaptureCandidatesOptions = {
  /** Only elements with these tag names (e.g. ["input", "textarea"]); disables the cursor:pointer sweep. */
  tags?: string[];
  /** Also fingerprint elements that are not rendered (default false). */
  includeHidden?: boolean;
  /** Also take elements styled cursor:pointer that match no selector (default true). */
  includePointer?: boolean;
  /** Upper bound on candidates, in document order (default 2000). */
  max?: number;
};

/**
 * Fingerprint every visible interactive-looking element (inputs, buttons, links, selects, textareas,
 * summary, label, [role], [tabindex], contenteditable, [onclick], and cursor:pointer elements) in the page
 * or frame, including open shadow roots, in document order. The absolute `xpath` of a light-DOM candidate
 * re-locates it: scope.locator(`xpath=${fp.xpath}`).
 */
export async function captureCandidates(scope: Page | Frame, opts: CaptureCandidatesOptions = {}): Promise<Fingerprint[]> {
  const raw = await scope.evaluate(captureAllInPage, pageArg(opts));
  return raw.map((r) => ZFingerprint.parse(r));
}

/** One step of a fingerprint's xpath (`tag[n]`: the n-th sibling of that tag) as CSS. */
const STEP = /^([a-z][a-z0-9-]*)\[(\d+)\]$/i;

/**
 * A Playwright selector (and its @playwright/test code) for a captured candidate, from its absolute `xpath`: the
 * xpath itself for a light-DOM element; inside open shadow roots, the host's xpath, then per shadow root the
 * path from it as CSS (`:scope > tag:nth-of-type(n) > …`), which Playwright's css engine evaluates through the
 * root. Null when the path has a step CSS cannot say.
 */
export function selectorForFingerprint(fp: Fingerprint): { selector: string; code: string } | null {
  if (!fp.xpath) return null;
  const [host, ...inside] = fp.xpath.split("/#shadow-root");
  if (!host) return null;
  const parts = [`xpath=${host}`];
  for (const path of inside) {
    const steps = path.split("/").filter(Boolean).map((step) => STEP.exec(step));
    if (steps.length === 0 || steps.some((m) => !m)) return null;
    parts.push(`css=:scope > ${steps.map((m) => `${m![1]}:nth-of-type(${m![2]})`).join(" > ")}`);
  }
  const selector = parts.join(" >> ");
  return { selector, code: `locator(${JSON.stringify(selector)})` };
}

/** A locator for a captured candidate (see selectorForFingerprint), null when it has none. */
export function locatorForFingerprint(scope: Page | Frame, fp: Fingerprint): Locator | null {
  const s = selectorForFingerprint(fp);
  return s ? scope.locator(s.selector) : null;
}

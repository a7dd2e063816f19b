// Region scoping (`… in the Shipping address section|dialog|form|row "…"`): resolves the region to one container
// and returns its selector, so a strategy's candidates are looked for inside it only. Role + accessible name first
// (dialog, form, region, row), then a container whose heading/legend says the name, then one whose first child
// does; a row by a cell that says the name, then a list item that does, then by its cells' text.
import type { Region } from "@/domain/step";
import { chainForm, cssForm, DEEPER, hasForm, hasTextForm, roleForm, SELF_OR_DEEPER } from "./strategies/selector-syntax";
import type { Scope } from "./strategies/types";
import { headingTexts, holdingWords, matchHeading, repeatedItemCount, repeatedItemRegion } from "./region-words";

export type RegionScope = { selector: string; code: string };
/** `outermost`: of nested matches take the outermost, not the innermost. */
type RegionForm = RegionScope & { outermost?: boolean };

const ROLES: Record<Region["kind"], string[]> = {
  dialog: ["dialog", "alertdialog"],
  form: ["form"],
  region: ["region", "group"],
  section: ["region", "group"],
  row: ["row"],
  frame: [],
  header: ["banner"],
  footer: ["contentinfo"],
  navigation: ["navigation"],
  sidebar: ["complementary"],
  main: ["main"],
  alert: ["alert", "status"],
  item: ["row", "listitem"],
};

/** Toasts and snackbars that carry no role: the class names (or ids) every toolkit gives them, else the live
 * region they are announced in (Tailwind UI's notifications sit in an aria-live container). */
const ALERT_CLASSES = ":is([class*=toast],[class*=snackbar],[class*=notification],[class*=alert],[id*=toast]):visible";
const LIVE_REGION = ":is([aria-live=assertive],[aria-live=polite]):visible";

/**
 * Landmarks: the ARIA role (named when the step names it, e.g. "in the Footer navigation"), else the role alone,
 * else the HTML element (a <header> inside an <article> is no banner). Several landmarks of a kind (a header and
 * a footer <nav>) are searched together: the element must still be the only match across them.
 */
const LANDMARK_TAGS: Partial<Record<Region["kind"], string>> = { header: "header", footer: "footer", navigation: "nav", sidebar: "aside", main: "main" };

// List items are product cards in most shop grids; <details> is titled by its <summary> (filters, FAQs).
const CONTAINERS = "section,fieldset,form,article,aside,dialog,details,li,[role=dialog],[role=region],[role=group],[role=form],div";
const H = ":is(h1,h2,h3,h4,h5,h6,legend,[role=heading],caption,summary)";
// The same test in XPath: child steps go through the xpath engine, as `:scope >` and `:has(> …)` go through
// Playwright's own CSS evaluator, which takes seconds on a page with a thousand rows.
const IS_H = "self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::legend or self::caption or self::summary or @role='heading'";
const WHOLE_NAME = ["exact-ci", "normalized"] as const;
type WholeName = (typeof WHOLE_NAME)[number];

/** `.filter({ has: … })` with an element that `path` (XPath from the candidate, or a css= selector) reaches and
 * whose text is the name. */
const hasSaying = (path: string, name: string, mode: WholeName | "exact"): RegionScope =>
  hasForm(chainForm(cssForm(path.startsWith("css=") ? path : `xpath=${path}`), hasTextForm(name, mode)));

/**
 * A visible container titled by a heading (legend, caption) that is its child or grandchild and whose text,
 * its descendants' included, is the name as a whole ("Canvas" is not "Canvas Tote"). The container has more
 * than one child, so a title div around the heading alone is never the region. Of nested
 * matches, first the outermost that holds no other heading (a card's title sits in an info block beside the
 * price, its Add to cart button one level up), then the innermost (a section with titled sub-sections).
 */
function headingForms(name: string, mode: WholeName): RegionForm[] {
  const titled = chainForm(
    chainForm(cssForm(`:is(${CONTAINERS}):visible`), hasSaying(`./*[${IS_H}] | ./*/*[${IS_H}]`, name, mode)),
    hasForm(cssForm("xpath=./*[2]")),
  );
  const alone = chainForm(titled, hasForm(chainForm(cssForm(H), hasTextForm(name, mode, true)), true));
  return [{ ...alone, outermost: true }, titled];
}

/** Last resort: a container whose first child (not its only one) says the name as a whole, e.g. a card header
 *  that is a styled div rather than a heading. */
function firstChildForm(name: string, mode: WholeName): RegionForm {
  return chainForm(cssForm(`:is(${CONTAINERS}):visible`), hasSaying("./*[1][following-sibling::*]", name, mode));
}

const FIRST_CELL = "./*[1] | ./th | ./*[@role='rowheader']";
const CELL = "./*[self::td or self::th or @role='cell' or @role='gridcell' or @role='rowheader']";

/**
 * A row's accessible name is all its cells joined, so "Bob" is only contained in the rows of Bob and Bobby, and
 * "Alice" also in the row of the person she manages. A row is first the one with a cell whose text is the name
 * as a whole (exact, then any case), the row's first cell or row header before any other; then the whole row
 * name; then a list item (a to-do list's rows) that, or an element in which, says the name as a whole; and only
 * then a row that contains the name.
 */
function rowForms(name: string): RegionForm[] {
  const forms: RegionForm[] = [];
  const row = roleForm("row", undefined, "exact");
  for (const mode of ["exact", "exact-ci"] as const) for (const cell of [FIRST_CELL, CELL]) forms.push(chainForm(row, hasSaying(cell, name, mode)));
  forms.push(roleForm("row", name, "exact-ci"));
  // A title inside a cell that also holds other things (WordPress's title cell with its row actions): a row with
  // an element saying the name as a whole beats a row whose text merely starts with it ("Roadmap 2025").
  for (const mode of ["exact", "exact-ci"] as const) forms.push(chainForm(row, hasSaying(DEEPER, name, mode)));
  const item = roleForm("listitem", undefined, "exact");
  for (const mode of ["exact", "exact-ci"] as const) forms.push(chainForm(item, hasSaying(SELF_OR_DEEPER, name, mode)));
  forms.push(roleForm("row", name, "contains"));
  return forms;
}

/**
 * The repeated item `for Bob` names (a row, a list item, a card): first one that says the name as a whole, as
 * `in Bob's row` and `in the Bob card` find it (a cell, a list item, a title); then a row or list item that holds
 * it as whole words ("Bob Smith", never "Bobby"). Any other repeated container that holds it is looked for by
 * resolveRegion, last.
 */
function itemForms(name: string): RegionForm[] {
  const rows = rowForms(name).slice(0, -1); // without "a row that contains the name": that comes after the cards
  const cards: RegionForm[] = [];
  for (const mode of WHOLE_NAME) cards.push(...headingForms(name, mode));
  for (const mode of WHOLE_NAME) cards.push(firstChildForm(name, mode));
  const holding = [roleForm("row", name, "contains"), chainForm(roleForm("listitem", undefined, "exact"), holdingWords(name))];
  return [...rows, ...cards, ...holding];
}

/** Candidate region forms, most specific first. */
export function regionForms(within: Region): RegionForm[] {
  const forms: RegionForm[] = [];
  const roles = ROLES[within.kind];
  const named = within.name.trim() !== "";
  // The role alone: "in the dialog" is the dialog whatever it is called (a redesign that titles it must not lose
  // the scope), and a landmark falls back to it when its name does not match.
  const roleOnly = roles.map((role) => roleForm(role, undefined, "exact"));
  const tag = LANDMARK_TAGS[within.kind];
  if (tag) {
    if (named) for (const mode of ["exact-ci", "normalized"] as const) for (const role of roles) forms.push(roleForm(role, within.name, mode));
    return [...forms, ...roleOnly, { selector: tag, code: `locator(${JSON.stringify(tag)})` }];
  }
  if (within.kind === "alert") {
    if (named) for (const mode of WHOLE_NAME) for (const role of roles) forms.push(roleForm(role, within.name, mode));
    return [...forms, ...roleOnly, cssForm(ALERT_CLASSES), cssForm(LIVE_REGION)];
  }
  if (!named && within.kind !== "frame") return roleOnly;
  if (within.kind === "row") return rowForms(within.name);
  if (within.kind === "item") return itemForms(within.name);
  for (const mode of WHOLE_NAME) for (const role of roles) forms.push(roleForm(role, within.name, mode));
  for (const mode of WHOLE_NAME) forms.push(...headingForms(within.name, mode));
  if (within.kind === "frame") {
    const t = JSON.stringify(within.name);
    forms.push({ selector: `iframe[title=${t}] >> internal:control=enter-frame`, code: `frameLocator(${JSON.stringify(`iframe[title=${t}]`)})` });
    return forms;
  }
  for (const mode of WHOLE_NAME) forms.push(firstChildForm(within.name, mode));
  return forms;
}

/**
 * The first region form that matches exactly one visible container in scope, or containers nested in one
 * another (they share one title: the innermost, or the outermost when the form says so; rows of a layout table
 * around the row: the innermost); null when the region is not there. Side-by-side matches (two cards with one
 * title) are no region.
 */
export async function resolveRegion(scope: Scope, within: Region): Promise<RegionScope | null> {
  for (const form of regionForms(within)) {
    const one = await pickRegion(scope, within, form);
    if (one) return one;
  }
  // Nothing says the name as a whole: a region some of whose words are the name (region-words.ts).
  const named = within.name.trim() !== "";
  if (named && within.kind === "item") {
    const item = await repeatedItemRegion(scope, within.name);
    return item && (await pickRegion(scope, within, item));
  }
  if (named && BY_HEADING_WORDS.has(within.kind)) {
    // A region or group labelled with the name among other words (`<section aria-label="Billing address">` for
    // Billing), one per role; then the headings.
    for (const role of ROLES[within.kind]) {
      const one = await pickRegion(scope, within, roleForm(role, within.name, "contains"));
      if (one) return one;
    }
    const match = matchHeading(within.name, await headingTexts(scope, H));
    if (!match || !("heading" in match)) return null;
    for (const form of headingForms(match.heading, "exact-ci")) {
      const one = await pickRegion(scope, within, form);
      if (one) return one;
    }
  }
  return null;
}

/** Regions that may be named by the words of their heading rather than its whole text. */
const BY_HEADING_WORDS: ReadonlySet<Region["kind"]> = new Set<Region["kind"]>(["section", "region"]);

/** The one container `form` matches (see resolveRegion), or null. */
async function pickRegion(scope: Scope, within: Region, { outermost, ...form }: RegionForm): Promise<RegionScope | null> {
  const found = scope.locator(form.selector);
  const n = await found.count().catch(() => 0);
  if (n === 1 || (n > 1 && LANDMARK_TAGS[within.kind])) return form;
  if (n <= 1) return null;
  // Document order puts an ancestor before its descendants.
  const nested = await found.evaluateAll((els) => els.every((el, i) => i === 0 || els[i - 1]!.contains(el))).catch(() => false);
  if (!nested) return null;
  return outermost ? { selector: `${form.selector} >> nth=0`, code: `${form.code}.first()` } : { selector: `${form.selector} >> nth=-1`, code: `${form.code}.last()` };
}

/** Why a named section or item resolved to no region when it is because several qualify; undefined otherwise. */
export async function ambiguousRegion(scope: Scope, within: Region): Promise<string | undefined> {
  if (!within.name.trim()) return undefined;
  if (BY_HEADING_WORDS.has(within.kind)) {
    const match = matchHeading(within.name, await headingTexts(scope, H));
    if (match && "ambiguous" in match) return `ambiguous: headings ${match.ambiguous.map((h) => JSON.stringify(h)).join(", ")} all name it`;
  }
  if (within.kind === "item") {
    const n = await repeatedItemCount(scope, within.name);
    if (n > 1) return `ambiguous: ${n} repeated items (rows, list items, cards) say ${JSON.stringify(within.name)}`;
  }
  return undefined;
}

/** Regions whose box may be narrower than what they name: a section's title block, a toast's message, an item's author line. */
export const WIDENS: ReadonlySet<Region["kind"]> = new Set<Region["kind"]>(["section", "region", "alert", "item"]);

/**
 * Wider boxes around a section or region that did not hold the element: a title often sits in a header block of
 * its card (Material's mat-card-header, a media object's body) and names the whole card around it. Goes up at
 * most `max` ancestors and stops below the first one that also holds a repeat of the way up (a sibling with the
 * same tag and classes: the next card of a grid), since a wider box would take in other cards. Innermost first.
 */
export async function widerRegions(scope: Scope, within: Region, region: RegionScope, max = 4): Promise<RegionScope[]> {
  if (!WIDENS.has(within.kind)) return [];
  if (within.kind === "item") return repeatedAncestor(scope, region);
  const levels = await scope
    .locator(region.selector)
    .evaluate((el, max) => {
      const sig = (e: Element) => `${e.localName}.${e.getAttribute("class") ?? ""}`;
      let n = 0;
      for (let e: Element = el; n < max; n++) {
        const up = e.parentElement;
        if (!up || up === document.body || up === document.documentElement) break;
        if (Array.from(up.children).some((s) => s !== e && sig(s) === sig(e))) break;
        e = up;
      }
      return n;
    }, max, { timeout: 1000 })
    .catch(() => 0);
  return Array.from({ length: levels }, (_, i) => ({
    selector: `${region.selector} >> xpath=ancestor::*[${i + 1}]`,
    code: `${region.code}.locator(${JSON.stringify(`xpath=ancestor::*[${i + 1}]`)})`,
  }));
}

/**
 * An item named by something inside it (`in Jon Skeet's answer`: the author's name in the answer's signature
 * block) is the repeated container around that: the nearest ancestor with a sibling of its tag and first class
 * (the next answer, card or post; state classes such as "accepted-answer" come after the first). None when the
 * region is repeated itself or no ancestor within 12 levels is.
 */
async function repeatedAncestor(scope: Scope, region: RegionScope): Promise<RegionScope[]> {
  const up = await scope
    .locator(region.selector)
    .evaluate((el) => {
      const sig = (e: Element) => `${e.localName}.${(e.getAttribute("class") ?? "").trim().split(/\s+/)[0]}`;
      // Up through open shadow roots to their hosts: a card component's title lives in the card's own root.
      const parent = (e: Element): Element | null => e.parentElement ?? ((e.getRootNode() as ShadowRoot).host || null);
      const siblings = (e: Element) => Array.from(e.parentElement?.children ?? (e.parentNode instanceof ShadowRoot ? e.parentNode.children : []));
      const repeated = (e: Element) => siblings(e).some((s) => s !== e && sig(s) === sig(e));
      if (repeated(el)) return null;
      let n = 0;
      let crossed = false;
      for (let e: Element | null = el, next = parent(el); next && next !== document.body && n < 12; e = next, next = parent(next)) {
        n++;
        if (e.parentElement !== next) crossed = true; // next is the host of e's shadow root
        if (repeated(next)) {
          if (!crossed) return { n, css: "" };
          const [tag, cls] = sig(next).split(".");
          return { n, css: `${tag}${cls ? `.${CSS.escape(cls)}` : ""}` };
        }
      }
      return null;
    }, undefined, { timeout: 1000 })
    .catch(() => null);
  if (!up) return [];
  // The same tree: so many levels up. Across a shadow root (XPath cannot leave one): the repeated element of that
  // kind which holds the region.
  if (up.css) return [chainForm(cssForm(up.css), hasForm(region))];
  return [{ selector: `${region.selector} >> xpath=ancestor::*[${up.n}]`, code: `${region.code}.locator(${JSON.stringify(`xpath=ancestor::*[${up.n}]`)})` }];
}

/** A row or a repeated item: regions whose actions often show only on hover, or sit in the region's own menu. */
export const rowLike = (within: Region | undefined): within is Region => within?.kind === "row" || within?.kind === "item";

/**
 * Moves the pointer over the step's row or item, as a person does before using its actions: WordPress's row
 * actions sit off-screen and Gmail's row icons are display:none until the row is hovered. True when it hovered
 * (the region is one visible element); regions of other kinds are left alone.
 */
export async function hoverRegion(scope: Scope, within: Region | undefined): Promise<boolean> {
  if (!rowLike(within)) return false;
  const region = await resolveRegion(scope, within);
  if (!region) return false;
  const loc = scope.locator(region.selector);
  if ((await loc.count().catch(() => 0)) !== 1) return false;
  return loc.hover({ timeout: 1000 }).then(() => true, () => false);
}

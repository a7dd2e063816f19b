// Regions named by some of their words rather than by their whole title, for when no region says the name as a
// whole (region.ts tries those first):
//  - an item (`Click Edit for Bob`): the one repeated container (a row, a list item, a card of a grid) whose text
//    holds the name as whole words;
//  - a section (`… in the Shipping section`): the one heading that holds the name as whole words ("Shipping
//    address", "2. Shipping details"), else, last, the one whose words share the name's stems ("Ship to a
//    different address?", WooCommerce's shipping heading).
// Both are strict: two qualifying items or headings are no region (never the first one).
import type { Locator } from "playwright-core";
import { holdsStems } from "../fingerprint/words";
import type { RegionScope } from "./region";
import { chainForm, cssForm, hasForm, hasTextForm, regexBody, SELF_OR_DEEPER } from "./strategies/selector-syntax";
import type { Scope } from "./strategies/types";

const isLocator = (s: Scope): s is Locator => typeof (s as Locator).elementHandle === "function";
const rootOf = (scope: Scope): Locator => (isLocator(scope) ? scope : scope.locator("body"));

/** What the in-page search found: the one item's CSS (tag and classes), or how many distinct items said the name. */
type ItemSearch = { css?: string; count: number };

/**
 * In the page: the innermost visible elements whose text holds the name; from each, up to the first ancestor that
 * is repeated (a sibling has its tag, and its first class unless it is a row or list item: striped rows differ in
 * class) and holds a control besides the name itself (a <p> beside another <p> is text, not an item). The one
 * such item's CSS, or the count of distinct ones.
 */
function findRepeatedItem(root: Element, body: string): ItemSearch {
  const re = new RegExp(body, "i");
  const says = (e: Element) => re.test(e.textContent ?? "");
  const visible = (e: Element) => (e as HTMLElement).checkVisibility?.() ?? (e as HTMLElement).offsetWidth > 0;
  const byTag = (e: Element) => /^(tr|li|article)$/.test(e.localName) || /^(row|listitem|article)$/.test(e.getAttribute("role") ?? "");
  // Items of one list share their tag and first class; state classes come after it ("answer accepted-answer").
  const sig = (e: Element) => (byTag(e) ? `${e.localName}|${e.getAttribute("role") ?? ""}` : `${e.localName}|${(e.getAttribute("class") ?? "").trim().split(/\s+/)[0]}`);
  const CONTROL = "a[href],button,input,select,textarea,[role=button],[role=link],[role=checkbox],[role=switch],[role=menuitem],[tabindex]";
  // The item's tree and every open shadow root inside it: a list of components keeps each row's text and
  // buttons in the row's own root. Up from an element goes through a shadow root to its host.
  const trees = (r: Element | ShadowRoot): (Element | ShadowRoot)[] => [r, ...(r instanceof Element && r.shadowRoot ? trees(r.shadowRoot) : []), ...Array.from(r.querySelectorAll("*")).flatMap((e) => (e.shadowRoot ? trees(e.shadowRoot) : []))];
  const parent = (e: Element): Element | null => e.parentElement ?? ((e.getRootNode() as ShadowRoot).host || null);
  const siblings = (e: Element) => Array.from(e.parentElement?.children ?? (e.parentNode instanceof ShadowRoot ? e.parentNode.children : []));
  const holds = (a: Node, b: Node) => {
    for (let n: Node | null = b; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) if (n === a) return true;
    return false;
  };
  const holdsControl = (item: Element, holder: Element) => trees(item).some((t) => Array.from(t.querySelectorAll(CONTROL)).some((c) => !holds(c, holder)));
  // A text node that says the name, or the innermost element whose text does (a name split over a <b>). Text is
  // joined without spaces across elements ("Hoodie" + "Add to cart"), so the first finds most.
  const holders = new Set<Element>();
  for (const tree of trees(root)) {
    const walker = document.createTreeWalker(tree, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.parentElement && re.test(node.nodeValue ?? "")) holders.add(node.parentElement);
      } else if (node.nodeType === Node.ELEMENT_NODE && says(node as Element) && !Array.from((node as Element).children).some(says)) holders.add(node as Element);
    }
  }
  const items = new Set<Element>();
  for (const e of holders) {
    if (/^(script|style|template|noscript|title)$/.test(e.localName) || !visible(e)) continue;
    for (let a: Element | null = e; a && a !== root && a !== document.body; a = parent(a)) {
      const repeated = siblings(a).some((s) => s !== a && sig(s) === sig(a));
      if (repeated && holdsControl(a, e)) {
        items.add(a);
        break;
      }
    }
  }
  if (items.size !== 1) return { count: items.size };
  const item = [...items][0]!;
  const classes = byTag(item) ? [] : (item.getAttribute("class") ?? "").split(/\s+/).filter(Boolean);
  const role = item.getAttribute("role");
  return { count: 1, css: `${item.localName}${role ? `[role="${CSS.escape(role)}"]` : ""}${classes.map((c) => `.${CSS.escape(c)}`).join("")}` };
}

/**
 * The one repeated item whose text holds `name` as whole words ("Bob" is in "Bob Smith", not in "Bobby"), as a
 * region: its tag and classes, filtered by the name. Null when none or several items hold it.
 */
export async function repeatedItemRegion(scope: Scope, name: string): Promise<RegionScope | null> {
  const found = await searchItems(scope, name);
  if (!found.css) return null;
  return chainForm(cssForm(`${found.css}:visible`), holdingWords(name));
}

/** `.filter({ has })` with an element (itself or inside) whose text holds the name as whole words. An element's
 *  text runs its children's together ("Denim Jacket" + "Add to cart"), so the element that says it is looked for. */
export function holdingWords(name: string) {
  return hasForm(chainForm(cssForm(SELF_OR_DEEPER), hasTextForm(name, "contains")));
}

/** How many distinct repeated items hold `name` as whole words. */
export async function repeatedItemCount(scope: Scope, name: string): Promise<number> {
  return (await searchItems(scope, name)).count;
}

async function searchItems(scope: Scope, name: string): Promise<ItemSearch> {
  if (!name.trim()) return { count: 0 };
  return rootOf(scope)
    .first()
    .evaluate(findRepeatedItem, regexBody(name, "contains"), { timeout: 2000 })
    .catch((): ItemSearch => ({ count: 0 }));
}

// ---------------------------------------------------------------------------------------------------------------
// Sections by the words of their heading

export type HeadingMatch = { heading: string } | { ambiguous: string[] } | null;

/**
 * Which of `headings` (their texts, one per heading element) a section `name` means when none says it as a whole:
 * first the headings that hold the name as whole words ("Shipping address" for Shipping); only when none does,
 * those whose words hold every stem of the name ("Ship to a different address?" for Shipping). Exactly one heading
 * must qualify at the first level that has any; several are ambiguous (never the first).
 */
export function matchHeading(name: string, headings: readonly string[]): HeadingMatch {
  const words = new RegExp(regexBody(name, "contains"), "i");
  if (!name.trim()) return null;
  // The second level is the one word measure's (fingerprint/words.ts): stems, function words set aside.
  const levels = [headings.filter((h) => words.test(h)), headings.filter((h) => holdsStems(h, name))];
  for (const level of levels) {
    if (level.length === 1) return { heading: level[0]! };
    if (level.length > 1) return { ambiguous: level };
  }
  return null;
}

/** The visible headings (their text, whitespace collapsed) in scope. */
export async function headingTexts(scope: Scope, headingCss: string): Promise<string[]> {
  return scope
    .locator(`${headingCss}:visible`)
    .evaluateAll((els) => els.map((e) => ((e as HTMLElement).innerText ?? e.textContent ?? "").replace(/\s+/g, " ").trim()).filter(Boolean))
    .catch(() => []);
}

// Builds selector strings in Playwright's own internal syntax (same escaping as its getBy* helpers in
// playwright-core's locatorUtils), paired with the matching @playwright/test code, so that a stored selector
// re-resolves with page.locator() and the generated spec uses user-facing locators.

/** exact: case-sensitive whole string; exact-ci: whole, any case; normalized: whole, any case, ignoring spaces,
 * hyphens and underscores between letters ("Username" = "User name" = "user-name"), a trailing ":", "*", "?" or "!", a
 * trailing parenthetical ("Express (1 day)", "Phone (optional)"), an icon around it ("💾 Save"), a count badge
 * after it ("Notifications 3") and a section number before it ("2 Career", "3.1 History"); words: whole, any case, the
 * same words in order with at most two filler words BETWEEN them ("Search products" = "Search for products", but
 * never extra words at either end: "Password" is not "Password hint"); contains: the words anywhere, as whole
 * words ("Username or email address" holds Username; "Unsubscribe" does not hold Subscribe). */
export type MatchMode = "exact" | "exact-ci" | "normalized" | "words" | "contains";

/** The modes that match a name as a whole (never a mere part of a longer name): what heals and the step's-own-words
 *  rules trust. */
const WHOLE_NAME_MODES: ReadonlySet<MatchMode> = new Set<MatchMode>(["exact", "exact-ci", "normalized"]);
export const isWholeName = (mode: MatchMode | undefined): boolean => mode !== undefined && WHOLE_NAME_MODES.has(mode);

const q = (s: string): string => JSON.stringify(s);

/** `s` as a literal inside a regular expression (also inside a /…/ literal). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Spaces, emoji (as UTF-16 surrogate pairs: the regex has no u flag), arrows, dingbats and bullets around a name. */
const DECORATION = "(?:\\s|[\\uD83C-\\uDBFF][\\uDC00-\\uDFFF]|[\\u2190-\\u2BFF\\uFE0F\\u200D\\u2022\\u00B7\\u203A\\u00BB])*";

/** A character that is not part of a word (Latin letters with their accents, digits): the regex has no u flag. */
const NOT_WORD = "[^A-Za-z0-9\\u00C0-\\u024F]";
const isWordChar = (c: string | undefined): boolean => !!c && /[A-Za-z0-9\u00C0-\u024F]/.test(c);

/** Regex body for a mode that needs one (all but exact). */
export function regexBody(text: string, mode: MatchMode): string {
  if (mode === "contains") {
    const t = text.trim();
    const words = t.split(/\s+/).map(escapeRegex).join("\\s+");
    // A boundary where the words begin or end with a letter or digit ("bobby@" may go on with "example.com").
    const start = isWordChar(t[0]) ? `(?:^|${NOT_WORD})` : "";
    const end = isWordChar(t.at(-1)) ? `(?:$|${NOT_WORD})` : "";
    return `${start}${words}${end}`;
  }
  if (mode === "words") {
    const words = text.trim().split(/\s+/).map(escapeRegex);
    return `^\\s*${words.join("(?:\\s+\\S+){0,2}?\\s+")}[\\s:*?!]*$`;
  }
  if (mode !== "normalized") return `^\\s*${escapeRegex(text.trim())}\\s*$`;
  const chars = [...text.replace(/[\s\-_]+/g, "")].map((c) => escapeRegex(c));
  // A trailing parenthetical qualifies the same name: "Express (1 day)", "Phone (optional)", "Email (required)";
  // an icon before or after it ("💾 Save", "Next →") and a count badge after it ("Notifications 3", unless the
  // name itself ends in a digit: "Room 10" is not "Room 10 1") decorate it.
  const count = /\d$/.test(text.trim()) ? "" : "(?:\\s+\\d+)?";
  // A section number before it numbers the same name: a table of contents' "2 Career", "3.1 History", "4. Usage".
  const numbered = /^\d/.test(text.trim()) ? "" : "(?:\\d+(?:\\.\\d+)*\\.?\\s+)?";
  return `^${DECORATION}${numbered}${chars.join("[\\s\\-_]*")}[\\s:*?!]*(?:\\([^()]*\\)[\\s:*?!]*)?${count}${DECORATION}$`;
}

/** A whole-string regex in selector syntax (quotes and `>>` escaped as Playwright does); case-insensitive unless
 *  the mode is exact. */
function regexSelector(text: string, mode: MatchMode = "exact-ci"): string {
  const re = `/${regexBody(text, mode)}/${mode === "exact" ? "" : "i"}`;
  return re.replace(/(^|[^\\])(\\\\)*(["'`])/g, "$1$2\\$3").replace(/>>/g, "\\>\\>");
}

/** Text-engine value: "x"s exact (case-sensitive, whole), else a case-insensitive regex (/^x$/i whole, …). */
export function textValue(text: string, mode: MatchMode): string {
  if (mode === "exact") return `${q(text)}s`;
  return regexSelector(text, mode);
}

/** Attribute-style value used by internal:role names and internal:attr. */
export function attrValue(text: string, mode: MatchMode): string {
  if (mode !== "exact") return regexSelector(text, mode);
  const escaped = text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  return `"${escaped}"s`;
}

/** The first argument + options of a getBy* call for the given mode. */
function codeArgs(text: string, mode: MatchMode): string {
  if (mode === "exact") return `${q(text)}, { exact: true }`;
  return `new RegExp(${q(regexBody(text, mode))}, "i")`;
}

export function labelForm(text: string, mode: MatchMode) {
  return { selector: `internal:label=${textValue(text, mode)}`, code: `getByLabel(${codeArgs(text, mode)})` };
}

export function placeholderForm(text: string, mode: MatchMode) {
  return {
    selector: `internal:attr=[placeholder=${attrValue(text, mode)}]`,
    code: `getByPlaceholder(${codeArgs(text, mode)})`,
  };
}

export function textForm(text: string, mode: MatchMode) {
  return { selector: `internal:text=${textValue(text, mode)}`, code: `getByText(${codeArgs(text, mode)})` };
}

export function roleForm(role: string, name: string | undefined, mode: MatchMode) {
  if (name === undefined) return { selector: `internal:role=${role}`, code: `getByRole(${q(role)})` };
  const sel = `internal:role=${role}[name=${attrValue(name, mode)}]`;
  if (mode === "exact") return { selector: sel, code: `getByRole(${q(role)}, { name: ${q(name)}, exact: true })` };
  const re = `new RegExp(${q(regexBody(name, mode))}, "i")`;
  return { selector: sel, code: `getByRole(${q(role)}, { name: ${re} })` };
}

export function testIdForm(testId: string) {
  return { selector: `internal:testid=[data-testid=${attrValue(testId, "exact")}]`, code: `getByTestId(${q(testId)})` };
}

/** Every element inside the one it is chained to, through open shadow roots (XPath's descendant axis stops at a
 * shadow root: a Lit row's title lives in its item element's own root). */
export const DEEPER = "css=*";
/** The element it is chained to, and every element inside it, through open shadow roots. */
export const SELF_OR_DEEPER = "css=:scope, *";

export function cssForm(css: string) {
  return { selector: css, code: `locator(${q(css)})` };
}

/** A CSS attribute selector `[attr="value"]` (Playwright's css engine pierces open shadow roots). */
export function attrCssForm(attr: string, value: string) {
  const css = `[${attr}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"]`;
  return { selector: css, code: `locator(${q(css)})` };
}

/** Any attribute, matched like text (used for aria-label, title, alt, aria-placeholder). */
export function attrForm(attr: string, text: string, mode: MatchMode) {
  const selector = `internal:attr=[${attr}=${attrValue(text, mode)}]`;
  if (attr === "title") return { selector, code: `getByTitle(${codeArgs(text, mode)})` };
  if (attr === "alt") return { selector, code: `getByAltText(${codeArgs(text, mode)})` };
  return { selector, code: `locator(${q(selector)})` };
}

/** A test-id attribute other than data-testid keeps the generic attr form so generated code does not need config. */
export function testIdAttrForm(attr: string, value: string) {
  if (attr === "data-testid") return testIdForm(value);
  return attrCssForm(attr, value);
}

type Form = { selector: string; code: string };

/** `inner` applied to what `outer` matches (`>>`, a chained call). */
export function chainForm(outer: Form, inner: Form): Form {
  return { selector: `${outer.selector} >> ${inner.selector}`, code: `${outer.code}.${inner.code}` };
}

/** `.filter({ has })` (`hasNot` when `not`): keeps the elements with (without) a descendant `inner` matches; a
 *  relative XPath in `inner` (`xpath=./*[1]`) starts at the element itself. */
export function hasForm(inner: Form, not = false): Form {
  return { selector: `internal:has${not ? "-not" : ""}=${q(inner.selector)}`, code: `filter({ ${not ? "hasNot" : "has"}: page.${inner.code} })` };
}

/** `.filter({ hasText })` (`hasNotText` when `not`) by a whole-text regex (exact, exact-ci or normalized): the
 *  element's text with its descendants' is (is not) the name; with contains, holds it as whole words. Unlike the
 *  text engine and `:text-is()`, it keeps an element whose child says the same (`<h3><a>Canvas Tote</a></h3>`). */
export function hasTextForm(text: string, mode: "exact" | "exact-ci" | "normalized" | "contains", not = false): Form {
  const flags = mode === "exact" ? "" : ', "i"';
  return {
    selector: `internal:has${not ? "-not" : ""}-text=${regexSelector(text, mode)}`,
    code: `filter({ ${not ? "hasNotText" : "hasText"}: new RegExp(${q(regexBody(text, mode))}${flags}) })`,
  };
}

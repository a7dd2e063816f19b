// Builds selector strings in Playwright's own internal syntax (same escaping as its getBy* helpers in
// playwright-core's locatorUtils), paired with the matching @playwright/test code, so that a stored selector
// re-resolves with page.locator() and the generated spec uses user-facing locators.

export type MatchMode = "exact" | "exact-ci" | "contains";

const q = (s: string): string => JSON.stringify(s);

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A whole-string, case-insensitive regex in selector syntax (quotes and `>>` escaped as Playwright does). */
function ciRegexSelector(text: string): string {
  const re = `/^\\s*${escapeRegex(text.trim())}\\s*$/i`;
  return re.replace(/(^|[^\\])(\\\\)*(["'`])/g, "$1$2\\$3").replace(/>>/g, "\\>\\>");
}

/** Text-engine value: "x"s exact (case-sensitive, whole), /^x$/i whole but case-insensitive, "x"i contains. */
export function textValue(text: string, mode: MatchMode): string {
  if (mode === "exact") return `${q(text)}s`;
  if (mode === "contains") return `${q(text)}i`;
  return ciRegexSelector(text);
}

/** Attribute-style value used by internal:role names and internal:attr. */
export function attrValue(text: string, mode: MatchMode): string {
  if (mode === "exact-ci") return ciRegexSelector(text);
  const escaped = text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  return `"${escaped}"${mode === "exact" ? "s" : "i"}`;
}

/** The first argument + options of a getBy* call for the given mode. */
function codeArgs(text: string, mode: MatchMode): string {
  if (mode === "exact") return `${q(text)}, { exact: true }`;
  if (mode === "contains") return q(text);
  return `new RegExp(${q(`^\\s*${escapeRegex(text.trim())}\\s*$`)}, "i")`;
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
  if (mode === "contains") return { selector: sel, code: `getByRole(${q(role)}, { name: ${q(name)} })` };
  const re = `new RegExp(${q(`^\\s*${escapeRegex(name.trim())}\\s*$`)}, "i")`;
  return { selector: sel, code: `getByRole(${q(role)}, { name: ${re} })` };
}

export function testIdForm(testId: string) {
  return { selector: `internal:testid=[data-testid=${attrValue(testId, "exact")}]`, code: `getByTestId(${q(testId)})` };
}

export function cssForm(css: string) {
  return { selector: css, code: `locator(${q(css)})` };
}

// The step's words read as a person reads a name (fingerprint/words.ts): the one element whose label, placeholder,
// text or title says what the step says once case, punctuation, function words, a leading "Click"/"Please enter",
// word order and inflections are set aside ("Comment" finds the field now labelled "Comments:", "Click here to
// download" the button now called "Download"). Nothing added, nothing swapped: "Password" never finds "Password
// hint". Last of the discovery strategies, so an element any other strategy names wins; the locator it returns is
// the element's own name as it is now, exact, so the cache and the generated spec say what the page says.
import type { Locator } from "playwright-core";
import { CANDIDATE_SELECTOR, PAGE_LIB, pageArg } from "../../fingerprint/fingerprint-capture";
import { bestMatch, SAYS_THE_SAME } from "../../fingerprint/words";
import { FIELD_KINDS } from "./label";
import { probeForms } from "./probe";
import { rolesFor } from "./role-name";
import { attrForm, labelForm, placeholderForm, roleForm, textForm } from "./selector-syntax";
import type { Candidate, Scope, SelectorForm, Strategy } from "./types";

const BASE_SCORE = 0.65;

/** What the words strategy reads of an element. */
export type NamedElement = { tag: string; role?: string; type?: string; label?: string; placeholder?: string; text?: string; title?: string; alt?: string; visible: boolean };

const LIST_BODY = `${PAGE_LIB}
var els = root ? [root].concat(deepElements(root)) : deepElements(document);
var out = [];
for (var i = 0; i < els.length && out.length < 400; i++) {
  var el = els[i];
  if (el.localName === "label" || !el.matches(arg.selector)) continue;
  var vis = isVisible(el);
  if (!vis && !arg.includeHidden) continue;
  var f = fingerprint(el, null);
  out.push({ tag: f.tag, role: f.role, type: f.type, label: f.label, placeholder: f.placeholder, text: f.text, title: f.title, alt: f.alt, visible: vis });
}
return out;`;
const listInElement = new Function("root", "arg", LIST_BODY) as (root: Element, arg: unknown) => NamedElement[];
const listInDocument = new Function("arg", `var root = null;\n${LIST_BODY}`) as (arg: unknown) => NamedElement[];

const isLocator = (s: Scope): s is Locator => typeof (s as Locator).elementHandle === "function";

/** Every candidate element in the scope (open shadow roots included) with the names a person reads on it. */
export async function namedElements(scope: Scope, includeHidden: boolean): Promise<NamedElement[]> {
  const arg = { ...pageArg(), selector: CANDIDATE_SELECTOR, includeHidden };
  const list = isLocator(scope) ? scope.evaluate(listInElement, arg, { timeout: 1000 }) : scope.evaluate(listInDocument, arg);
  return list.catch(() => []);
}

const FIELD_TAGS = new Set(["input", "textarea", "select"]);
const BUTTON_INPUTS = new Set(["button", "submit", "reset", "image", "checkbox", "radio", "file", "range", "color"]);

/** The element can be what the step acts on: a role the step's type word or action allows, a typed-into field
 *  for fill, never a field for "the … button". */
function fits(e: NamedElement, kind: Parameters<typeof rolesFor>[0], action: Parameters<typeof rolesFor>[1]): boolean {
  const roles = rolesFor(kind, action);
  if (action === "fill" || action === "type" || action === "clear") {
    const typed = (e.tag === "input" && !BUTTON_INPUTS.has(e.type ?? "")) || e.tag === "textarea" || e.role === "textbox" || e.role === "searchbox";
    return typed && (!kind || FIELD_KINDS.has(kind));
  }
  if (kind && !FIELD_KINDS.has(kind) && FIELD_TAGS.has(e.tag) && e.tag !== "input") return false;
  return e.role ? roles.length === 0 || roles.includes(e.role) : !kind;
}

/** The element's names that say the step's words, each as the locator form that finds it by that name, exact. */
function formsFor(e: NamedElement, words: string): SelectorForm[] {
  const out: SelectorForm[] = [];
  const says = (n: string | undefined): n is string => !!n?.trim() && SAYS_THE_SAME.has(bestMatch(words, [n]).relation);
  if (says(e.label)) {
    if (e.role) out.push({ ...roleForm(e.role, e.label, "exact"), score: BASE_SCORE });
    out.push({ ...labelForm(e.label, "exact"), score: BASE_SCORE - 0.01 });
  }
  if (says(e.placeholder)) out.push({ ...placeholderForm(e.placeholder, "exact"), score: BASE_SCORE - 0.02 });
  if (says(e.text)) out.push({ ...textForm(e.text, "exact"), score: BASE_SCORE - 0.03 });
  if (says(e.title)) out.push({ ...attrForm("title", e.title, "exact"), score: BASE_SCORE - 0.04 });
  if (says(e.alt)) out.push({ ...attrForm("alt", e.alt, "exact"), score: BASE_SCORE - 0.04 });
  return out;
}

export const wordsStrategy: Strategy = {
  name: "words",
  family: "accessible-name",
  async find(scope, target, action, opts) {
    if (!target.name.trim() || opts?.ordinal !== undefined || opts?.nameTier === "partial") return [];
    const meta = { strategy: this.name, family: this.family, action };
    const all = await namedElements(scope, opts?.requireVisible === false);
    const saying = all.filter((e) => fits(e, target.kind, action) && SAYS_THE_SAME.has(bestMatch(target.name, [e.label, e.placeholder, e.text, e.title, e.alt]).relation));
    if (saying.length !== 1) {
      const none: Candidate = { strategy: this.name, family: this.family, selector: "", code: "", score: 0, count: saying.length, accepted: false, stable: true, reason: saying.length ? `ambiguous: ${saying.length} elements say the words` : "no match" };
      return [none];
    }
    return probeForms(scope, formsFor(saying[0]!, target.name), meta, opts);
  },
};

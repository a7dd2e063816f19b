// Heal a reworded element by its place and kind (issue 20 §2). When the remembered element is gone and the step's
// words no longer single out anything, the stored fingerprint may still single out one element: the only control
// of the same kind (an email input, a textarea, a button, a link) in the same place (the same form, fieldset,
// section, dialog or landmark, told by its name or its submit button), whose stable attributes (name, id, test id,
// href, classes) agree. Those are two families that are not the words (structure, attributes), and nothing else of
// its kind competes in that region. The element's new name must not say something else than the step: a name that
// adds words ("Password hint" for Password), swaps one ("Export XLSX" for Export CSV) or negates one ("Unsubscribe"
// for Subscribe) names another control, wherever it sits.
import type { Frame, Page } from "playwright-core";
import { describeFingerprint, type Fingerprint } from "@/domain/fingerprint";
import type { Region, StepAction, Target } from "@/domain/step";
import { locatorForFingerprint } from "../fingerprint/fingerprint-capture";
import { isVolatileToken } from "../fingerprint/similarity";
import { bestMatch, compareWords, SAYS_THE_SAME, WITHIN_THE_WORDS, type WordRelation } from "../fingerprint/words";
import { listFrameScopes, throughFrames } from "../locate/frames";
import type { Candidate } from "../locate/strategies/types";
import { probeForms } from "../locate/strategies/probe";
import { labelForm, placeholderForm, roleForm, textForm } from "../locate/strategies/selector-syntax";
import type { SelectorForm } from "../locate/strategies/types";
import { candidatesWithin, sameElement, stepWords } from "./verify";

/** What kind of control an element is, fine enough that a form's fields differ (an email input is not a password
 *  input, a textarea is not a text input). */
export function controlKind(f: Fingerprint): string {
  const tag = f.tag ?? "";
  const type = (f.type ?? "").toLowerCase();
  if (tag === "input") return /^(submit|button|reset|image)$/.test(type) ? "button" : `input:${type || "text"}`;
  if (tag === "button" || f.role === "button") return "button";
  if (tag === "a" || f.role === "link") return "link";
  if (tag === "select" || tag === "textarea") return tag;
  return f.role ?? tag;
}

const saysSame = (a: string | undefined, b: string | undefined): boolean | undefined =>
  a?.trim() && b?.trim() ? SAYS_THE_SAME.has(compareWords(a, b).relation) : undefined;

/** The candidate sits in the same place as the stored element: the same kind of container, and its name or its
 *  submit button says what the stored one's did (a container known by neither matches by kind alone). */
export function samePlace(stored: Fingerprint, c: Fingerprint): boolean {
  if (!stored.placeKind || stored.placeKind !== c.placeKind) return false;
  const name = saysSame(stored.placeName, c.placeName);
  const action = saysSame(stored.placeAction, c.placeAction);
  if (name === undefined && action === undefined) return !stored.placeName && !stored.placeAction;
  return name === true || action === true;
}

/** A hand-written name, id, test id or href kept: what a form posts or a script reads, rarely what a redesign edits. */
export function keyAttributeKept(stored: Fingerprint, c: Fingerprint): boolean {
  const kept = (a: string | undefined, b: string | undefined) => !!a && !!b && a === b && !isVolatileToken(a);
  return kept(stored.name, c.name) || kept(stored.id, c.id) || kept(stored.testId, c.testId) || kept(stored.href, c.href);
}

/** Stable attributes agree: a key attribute kept (keyAttributeKept), or most of the stable classes. */
export function attributesAgree(stored: Fingerprint, c: Fingerprint): boolean {
  if (keyAttributeKept(stored, c)) return true;
  const tokens = (s: string | undefined) => new Set((s ?? "").split(/\s+/).filter((t) => t && !isVolatileToken(t)));
  const a = tokens(stored.class);
  const b = tokens(c.class);
  if (a.size === 0 || b.size === 0) return false;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return common / (a.size + b.size - common) >= 0.5;
}

/** The names a person reads on an element. */
export const namesOf = (f: Fingerprint): string[] =>
  [f.label, f.ariaLabel, f.text, f.placeholder, f.title, f.alt, f.value].filter((n): n is string => !!n?.trim());

/** How the element's names compare with the step's words: the best relation of any of its names. */
export function nameRelation(f: Fingerprint, target: Target): { relation: WordRelation; name?: string } {
  const names = namesOf(f);
  if (names.length === 0) return { relation: "none" };
  return bestMatch(stepWords(target), names);
}

/**
 * The element's new name does not name another control than the step's words did (see the header): one of its
 * names says the words or a shortened form of them, or none of its names shares a word with them (a new wording
 * altogether, which its place and attributes vouch for).
 */
export function mayBeReworded(f: Fingerprint, target: Target): boolean {
  const rels = namesOf(f).map((n) => compareWords(stepWords(target), n).relation);
  return rels.some((r) => WITHIN_THE_WORDS.has(r)) || rels.every((r) => r === "none");
}

/** `byKey`: it kept a key attribute (name, id, test id, href), not only classes: enough to stand against the
 *  step's words when they name an element somewhere else. */
export type PlaceMatch = { candidate: Candidate; fingerprint: Fingerprint; frame: Frame; note: string; byKey: boolean };

/**
 * The one element of the stored element's kind in its stored place, with agreeing attributes, over every frame
 * (inside the step's region when it names one), when no other of its kind there is as much what the step's words
 * say; with the reason when there is none. Whether its own new name may stand for the words is the caller's call
 * (mayBeReworded).
 */
export async function findByPlace(page: Page, stored: Fingerprint | undefined, within?: Region, target?: Target): Promise<PlaceMatch | { reason: string }> {
  if (!stored?.tag || !stored.placeKind) return { reason: "no place in the stored fingerprint" };
  const kind = controlKind(stored);
  const where = stored.placeKind === "page" ? "the page" : `the ${stored.placeKind}${stored.placeName ? ` ${JSON.stringify(stored.placeName)}` : ""}`;
  let found: PlaceMatch | undefined;
  for (const fs of await listFrameScopes(page)) {
    const cands = (await candidatesWithin(fs.frame, within)) ?? [];
    const same = cands.filter((c) => c.visible !== false && controlKind(c) === kind && samePlace(stored, c));
    if (same.length === 0) continue;
    // Several of its kind there (a form's text fields): the one that kept its stable attributes, if only one did.
    const byKey = same.filter((c) => keyAttributeKept(stored, c));
    const agreeing = byKey.length > 0 ? byKey : same.filter((c) => attributesAgree(stored, c));
    if (agreeing.length === 0) return { reason: `no ${kind} in ${where} shares a stable attribute with it (${same.length} of its kind there)` };
    if (agreeing.length > 1 || found) return { reason: `${agreeing.length + (found ? 1 : 0)} elements of its kind (${kind}) with its stable attributes in ${where}` };
    const fp = agreeing[0]!;
    // Another of its kind there that the step's words could as well mean (two identical Delete buttons) competes.
    const rival = target && same.find((c) => c !== fp && namesOf(c).some((n) => WITHIN_THE_WORDS.has(compareWords(stepWords(target), n).relation)));
    if (rival) return { reason: `${describeFingerprint(rival)} in ${where} is as much what the step says` };
    if (!locatorForFingerprint(fs.frame, fp)) return { reason: `the one ${kind} in ${where} has no locator` };
    const full = throughFrames(fs.hops, `xpath=${fp.xpath}`, `locator(${JSON.stringify(`xpath=${fp.xpath}`)})`);
    found = {
      candidate: { strategy: "place", family: "structure", ...full, score: 0.6, count: 1, accepted: true, stable: false },
      fingerprint: fp,
      frame: fs.frame as Frame,
      byKey: byKey.length > 0,
      note: `the only ${kind} in ${where} with its stable attributes${same.length > 1 ? ` (of ${same.length} of its kind there)` : ""}: ${describeFingerprint(fp)}`,
    };
  }
  return found ?? { reason: `no ${kind} left in ${where}` };
}

/**
 * A locator for the element found by its place that says what the page calls it now (its role and name, label,
 * placeholder or text, exact), when that finds it alone: cacheable, and what the generated spec should say.
 */
export async function namedLocator(page: Page, m: PlaceMatch, action: StepAction): Promise<Candidate | undefined> {
  const fp = m.fingerprint;
  const forms: SelectorForm[] = [];
  if (fp.label && fp.role) forms.push({ ...roleForm(fp.role, fp.label, "exact"), score: 0.6 });
  if (fp.label) forms.push({ ...labelForm(fp.label, "exact"), score: 0.6 });
  if (fp.placeholder) forms.push({ ...placeholderForm(fp.placeholder, "exact"), score: 0.6 });
  if (fp.text) forms.push({ ...textForm(fp.text, "exact"), score: 0.6 });
  const byPosition = page.locator(m.candidate.selector);
  for (const form of forms) {
    const [c] = await probeForms(m.frame, [form], { strategy: "place", family: "structure", action }, { requireVisible: true });
    if (!c?.accepted || !c.stable || c.selector.includes("nth=")) continue;
    const framed = m.candidate.selector.includes(" >> internal:control=enter-frame") ? null : c;
    if (framed && (await sameElement(page, page.locator(framed.selector), byPosition))) return framed;
  }
  return undefined;
}

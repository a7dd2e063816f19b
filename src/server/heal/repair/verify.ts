// Heal verification: which independent evidence families point at the chosen element? Every
// strategy is probed (with the stored fingerprint as hint, whole names only) and its accepted element compared
// by identity with the chosen one; the similarity scorer counts as its own family when it picks the same element
// among all candidates of that frame. Two strategies of one family agreeing is one piece of evidence.
import type { Frame, Locator, Page } from "playwright-core";
import type { Fingerprint } from "@/domain/fingerprint";
import type { Region, StepAction, Target } from "@/domain/step";
import { probeStrategy } from "../locate/discovery";
import { resolveRegion } from "../locate/region";
import { captureCandidates, captureFingerprint } from "../fingerprint/fingerprint-capture";
import { chooseCandidate, type ChooseResult, isVolatileToken } from "../fingerprint/similarity";
import { ALL_STRATEGIES } from "../locate/strategies";
import { roleNameStrategy } from "../locate/strategies/role-name";
import { squash } from "../locate/strategies/attr-values";
import { isWholeName } from "../locate/strategies/selector-syntax";
import { compareWords, HOLDS_THE_WORDS, SAYS_THE_SAME, WITHIN_THE_WORDS } from "../fingerprint/words";
import type { Candidate, EvidenceFamily, Strategy } from "../locate/strategies/types";

export type Agreement = { strategy: string; family: EvidenceFamily; selector: string; stable: boolean; candidate?: Candidate };
export type Verification = {
  families: EvidenceFamily[];
  /** The element is called something else than the step's words, and no agreeing family came from those words
   *  (see byWords): the families are reported, but they do not verify. */
  nameConflict?: string;
  agreements: Agreement[];
  verified: boolean;
  similarity?: ChooseResult;
  /** The step's role + name form that matches the chosen element among others (see namedAmongOthers). */
  namedAmong?: Candidate;
  /** The element the stored fingerprint confidently points at, when that is another one (the old element
   *  renamed while a look-alike took its name): the step's words and the memory disagree, so nothing verifies. */
  rival?: Fingerprint;
};

/**
 * A similarity score this high means the stored element's identity attributes, neighbour texts and place are all
 * (nearly) what they were: the same element, not a look-alike in another row or section, whose neighbours differ.
 */
export const NEAR_IDENTICAL = 0.95;

/** The step's role + whole-name form when it matches several elements, this one among them. */
async function namedAmongOthers(page: Page, chosen: Locator, target: Target, action: StepAction): Promise<Candidate | undefined> {
  const tried = await roleNameStrategy.find(page, target, action, { requireVisible: true, wholeNameOnly: true }).catch(() => [] as Candidate[]);
  const handle = await chosen.elementHandle({ timeout: 500 }).catch(() => null);
  if (!handle) return undefined;
  try {
    for (const c of tried) {
      if (c.accepted || c.count < 2 || !isWholeName(c.nameMatch)) continue;
      const among = await page
        .locator(c.selector)
        .evaluateAll((els, el) => (els as Element[]).includes(el as Element), handle)
        .catch(() => false);
      if (among) return c;
    }
    return undefined;
  } finally {
    await handle.dispose().catch(() => undefined);
  }
}

/**
 * A name compared with the step's words: letters and digits only, any case, without a trailing parenthetical
 * ("Cart (2)") or a trailing count ("Notifications 3").
 */
function nameKey(s: string): string {
  return s.replace(/\([^()]*\)\s*$/, "").replace(/(^|\s)\d+\s*$/, "");
}

/**
 * An unverified candidate the heal policy may act on (PROCEED_AND_FLAG): one the step's words still name, as a
 * whole or as whole words of a longer name ("Proceed to checkout" for Checkout), or one without a name. Never
 * one the page calls something else ("Delete post" for Delete account, "Remove all" for Remove from cart).
 */
export function offerable(fp: Fingerprint | null | undefined, target: Target): boolean {
  const other = conflictingName(fp, target);
  if (other === undefined) return true;
  return wordsIn(other, stepWords(target));
}

/** The step's words for its element as written: "First name", not the name left after reading "First" as an
 * ordinal. */
export const stepWords = (target: Target): string => target.literalName ?? target.name;

/** `name` holds `words` (words.ts): says the same, or all of them among more words, any case or inflection
 * ("Proceed to checkout" holds "checkout"; "Unsubscribe" does not hold "Subscribe"). */
function wordsIn(name: string, words: string): boolean {
  return !!words.trim() && HOLDS_THE_WORDS.has(compareWords(words, name).relation);
}

/** The chosen element's own name when it is not what the step calls it ("Unsubscribe" for "Subscribe"): the word
 * measure (words.ts) reads "Comments" as "Comment:" and "Your name?" as "What is your name?". */
function conflictingName(fp: Fingerprint | null | undefined, target: Target): string | undefined {
  const name = fp?.label ?? fp?.ariaLabel ?? fp?.text;
  if (!name?.trim() || !target.name.trim()) return undefined;
  const says = (words: string) => SAYS_THE_SAME.has(compareWords(nameKey(words), nameKey(name)).relation);
  return says(target.name) || says(stepWords(target)) ? undefined : name;
}

/** Every word of the element's name is among the step's ("Download" for "Click here to download"): the step's
 * words name it, shortened. */
function nameWithinWords(name: string, target: Target): boolean {
  return [target.name, stepWords(target)].some((w) => WITHIN_THE_WORDS.has(compareWords(nameKey(w), nameKey(name)).relation));
}

/**
 * Whether an agreeing strategy's evidence came from the step's own words rather than from the stored
 * fingerprint: the text family matches those words; an attribute counts when its value spells them
 * (name="email" for "E-mail"), not when it is merely the value the old element had. A test id, id, class or
 * position carried over to another element (the Subscribe button's data-testid now on Unsubscribe, the
 * Delete account button's id now on Delete post) says nothing about what the element is.
 */
function byWords(a: Agreement, fp: Fingerprint | null | undefined, target: Target): boolean {
  if (a.family === "accessible-name" || a.family === "text") return true;
  if (a.family !== "stable-attribute" || !fp) return false;
  const want = [squash(target.name), squash(stepWords(target))].filter((w) => w.length >= 2);
  return [fp.testId, fp.name, fp.id].some((v) => !!v && want.includes(squash(v)));
}

/** True when two page-level locators resolve to the very same DOM node. */
export async function sameElement(page: Page, a: Locator, b: Locator): Promise<boolean> {
  const [ha, hb] = await Promise.all([a.elementHandle({ timeout: 500 }).catch(() => null), b.elementHandle({ timeout: 500 }).catch(() => null)]);
  try {
    if (!ha || !hb) return false;
    return await ha.evaluate((x, y) => x === y, hb).catch(() => false);
  } finally {
    await ha?.dispose().catch(() => undefined);
    await hb?.dispose().catch(() => undefined);
  }
}

/** The element's accessible name contains `words` as whole words ("Proceed to checkout" holds "checkout"). */
export async function holdsWords(loc: Locator, words: string): Promise<boolean> {
  const fp = await captureFingerprint(loc, { timeout: 1000, neighbours: false }).catch(() => null);
  return fpHoldsWords(fp, words);
}
const fpHoldsWords = (fp: Fingerprint | null | undefined, words: string): boolean => wordsIn(fp?.label ?? fp?.text ?? "", words);

/**
 * Another element that carries the stored element's own test id or hand-written id and whose name still holds
 * the step's words ("Email address" for Email): the remembered element, renamed, while `chosen` is a look-alike
 * that took its old name (a newsletter field newly labelled "Email"). Undefined when there is none. A field that
 * only inherited the id with a position swap ("First name" now #field-2) does not hold the words, and is no rival.
 */
export async function identityRival(page: Page, chosen: Locator, stored: Fingerprint | undefined, words: string): Promise<Fingerprint | undefined> {
  if (!stored || !words.trim()) return undefined;
  const q = (v: string) => JSON.stringify(v);
  const selectors: string[] = [];
  if (stored.testId) selectors.push(`:is(${["data-testid", "data-test", "data-qa", "data-cy"].map((a) => `[${a}=${q(stored.testId!)}]`).join(",")})`);
  if (stored.id && !isVolatileToken(stored.id)) selectors.push(`[id=${q(stored.id)}]`);
  for (const sel of selectors) {
    const other = page.locator(sel);
    if ((await other.count().catch(() => 0)) !== 1 || (await sameElement(page, chosen, other))) continue;
    const fp = await captureFingerprint(other, { timeout: 1000, neighbours: false }).catch(() => undefined);
    if (fpHoldsWords(fp, words)) return fp;
  }
  return undefined;
}

/**
 * The frame's candidates (captureCandidates) inside the region the step names, all of them when it names none (or
 * a frame); null when the frame has no such region. Similarity must not look outside the region the user named:
 * with Bob's row gone, Carol's Delete button sits exactly where his was.
 */
export async function candidatesWithin(frame: Frame, within: Region | undefined): Promise<Fingerprint[] | null> {
  const all = () => captureCandidates(frame).catch(() => [] as Fingerprint[]);
  if (!within || within.kind === "frame") return all();
  // The region first: when it is gone, the page-wide capture is not needed.
  const region = await resolveRegion(frame, within).catch(() => null);
  if (!region) return null;
  const box = await captureFingerprint(frame.locator(region.selector), { timeout: 1000, neighbours: false }).catch(() => null);
  if (!box?.xpath) return null;
  return (await all()).filter((c) => c.xpath?.startsWith(`${box.xpath}/`));
}

/** Does the similarity scorer, over every candidate in the element's frame (and the step's region), choose this element? */
export async function similarityAgrees(chosen: Locator, stored: Fingerprint, within?: Region): Promise<{ agrees: boolean; result?: ChooseResult; pick?: Fingerprint }> {
  const fp = await captureFingerprint(chosen, { timeout: 1000 }).catch(() => null);
  if (!fp?.xpath) return { agrees: false };
  const frame = await chosen
    .elementHandle({ timeout: 500 })
    .then((h) => h?.ownerFrame())
    .catch(() => null);
  if (!frame) return { agrees: false };
  const cands = await candidatesWithin(frame, within);
  if (!cands) return { agrees: false };
  const result = chooseCandidate(stored, cands);
  const pick = result.index >= 0 ? cands[result.index] : undefined;
  return { agrees: pick?.xpath === fp.xpath, result, pick };
}

export async function verifyElement(
  page: Page,
  chosen: Locator,
  target: Target,
  action: StepAction,
  stored: Fingerprint | undefined,
  strategies: readonly Strategy[] = ALL_STRATEGIES,
): Promise<Verification> {
  const agreements: Agreement[] = [];
  for (const s of strategies) {
    const r = await probeStrategy(page, s, target, action, { hint: stored, wholeNameOnly: true }).catch(() => null);
    const c = r?.accepted;
    if (c && (await sameElement(page, chosen, page.locator(c.selector)))) {
      agreements.push({ strategy: s.name, family: s.family, selector: c.selector, stable: c.stable, candidate: c });
    }
  }
  let similarity: ChooseResult | undefined;
  let namedAmong: Candidate | undefined;
  let rival: Fingerprint | undefined;
  if (stored) {
    const sim = await similarityAgrees(chosen, stored, target.within);
    similarity = sim.result;
    if (!sim.agrees && sim.pick) rival = sim.pick;
    rival ??= await identityRival(page, chosen, stored, stepWords(target));
    if (sim.agrees) agreements.push({ strategy: "similarity", family: "similarity", selector: "", stable: false });
    // The element is still there, unchanged, and the step's words still name it; the page only gained look-alikes
    // (the same link in a new footer): the role + name probe cannot single it out, but it does name it, and the
    // near-identical fingerprint picks it among the others. No selector from this: it is not unique.
    const nameVoted = agreements.some((a) => a.family === "accessible-name");
    if (sim.agrees && !nameVoted && (sim.result?.score ?? 0) >= NEAR_IDENTICAL) {
      namedAmong = await namedAmongOthers(page, chosen, target, action);
      if (namedAmong) agreements.push({ strategy: roleNameStrategy.name, family: "accessible-name", selector: "", stable: false });
    }
  }
  const families = [...new Set(agreements.map((a) => a.family).filter((f) => f !== "explicit"))];
  // An element the page calls something else than the step does is only the step's element when some of the
  // evidence comes from the step's words; attributes and looks inherited from the old element are not enough.
  const fp = families.length >= 2 ? await captureFingerprint(chosen, { timeout: 1000, neighbours: false }).catch(() => null) : null;
  const other = conflictingName(fp, target);
  const nameConflict = other !== undefined && !nameWithinWords(other, target) && !agreements.some((a) => byWords(a, fp, target)) ? other : undefined;
  return { families, agreements, verified: families.length >= 2 && !nameConflict && !rival, similarity, namedAmong, nameConflict, rival };
}

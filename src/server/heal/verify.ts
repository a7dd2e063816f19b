// Heal verification (issue 3 §4.4): which independent evidence families point at the chosen element? Every
// strategy is probed (with the stored fingerprint as hint, whole names only) and its accepted element compared
// by identity with the chosen one; the similarity scorer counts as its own family when it picks the same element
// among all candidates of that frame. Two strategies of one family agreeing is one piece of evidence.
import type { Locator, Page } from "playwright-core";
import type { Fingerprint } from "@/domain/fingerprint";
import type { StepAction, Target } from "@/domain/step";
import { probeStrategy } from "./discovery";
import { captureCandidates, captureFingerprint } from "./fingerprint-capture";
import { chooseCandidate, type ChooseResult } from "./similarity";
import { ALL_STRATEGIES } from "./strategies";
import { roleNameStrategy } from "./strategies/role-name";
import { squash } from "./strategies/attr-values";
import { isWholeName } from "./strategies/selector-syntax";
import type { Candidate, EvidenceFamily, Strategy } from "./strategies/types";

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
  return squash(s.replace(/\([^()]*\)\s*$/, "").replace(/(^|\s)\d+\s*$/, ""));
}

/** The chosen element's own name when it is not what the step calls it ("Unsubscribe" for "Subscribe"). */
function conflictingName(fp: Fingerprint | null | undefined, target: Target): string | undefined {
  const name = fp?.label ?? fp?.ariaLabel ?? fp?.text;
  if (!name?.trim() || !target.name.trim()) return undefined;
  return nameKey(name) === nameKey(target.name) ? undefined : name;
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
  const want = squash(target.name);
  return want.length >= 2 && [fp.testId, fp.name, fp.id].some((v) => !!v && squash(v) === want);
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

/** Does the similarity scorer, over every candidate in the element's frame, choose this element? */
export async function similarityAgrees(chosen: Locator, stored: Fingerprint): Promise<{ agrees: boolean; result?: ChooseResult }> {
  const fp = await captureFingerprint(chosen, { timeout: 1000 }).catch(() => null);
  if (!fp?.xpath) return { agrees: false };
  const frame = await chosen
    .elementHandle({ timeout: 500 })
    .then((h) => h?.ownerFrame())
    .catch(() => null);
  if (!frame) return { agrees: false };
  const cands = await captureCandidates(frame).catch(() => [] as Fingerprint[]);
  const result = chooseCandidate(stored, cands);
  const pick = result.index >= 0 ? cands[result.index] : undefined;
  return { agrees: pick?.xpath === fp.xpath, result };
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
  if (stored) {
    const sim = await similarityAgrees(chosen, stored);
    similarity = sim.result;
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
  const nameConflict = other !== undefined && !agreements.some((a) => byWords(a, fp, target)) ? other : undefined;
  return { families, agreements, verified: families.length >= 2 && !nameConflict, similarity, namedAmong, nameConflict };
}

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
import type { Candidate, EvidenceFamily, Strategy } from "./strategies/types";

export type Agreement = { strategy: string; family: EvidenceFamily; selector: string; stable: boolean; candidate?: Candidate };
export type Verification = { families: EvidenceFamily[]; agreements: Agreement[]; verified: boolean; similarity?: ChooseResult };

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
  if (stored) {
    const sim = await similarityAgrees(chosen, stored);
    similarity = sim.result;
    if (sim.agrees) agreements.push({ strategy: "similarity", family: "similarity", selector: "", stable: false });
  }
  const families = [...new Set(agreements.map((a) => a.family).filter((f) => f !== "explicit"))];
  return { families, agreements, verified: families.length >= 2, similarity };
}

// A heal is never stricter than a fresh look (issue 12 §2). When the remembered element is gone (or the cached
// selector now points at something else), the step's own words are resolved exactly as a run with an empty cache
// would, names matched as a whole (the cold rules' first tier, the words strategy included); one element found so
// is the step's element: re-discovered, not healed. The memory decides only where the words do not single out
// one element, or where it still sees the remembered element itself elsewhere (its own id or test id, still
// holding the step's words): then the words point at a look-alike that took its name, and nothing is acted on.
import type { Page } from "playwright-core";
import type { Fingerprint } from "@/domain/fingerprint";
import type { Step, StepAction, Target } from "@/domain/step";
import { captureFingerprint } from "../fingerprint/fingerprint-capture";
import { bestMatch, SAYS_THE_SAME } from "../fingerprint/words";
import { checkGate } from "../gate/gate";
import { discoverOnce, type StrategyTrial } from "../locate/discovery";
import { escapeRegex } from "../locate/strategies/selector-syntax";
import type { Candidate } from "../locate/strategies/types";
import { isCovered } from "../page/covered";
import { findByPlace, mayBeReworded, namedLocator, samePlace, type PlaceMatch } from "../repair/place";
import { identityRival, sameElement, stepWords } from "../repair/verify";
import { describeFingerprint } from "@/domain/fingerprint";

export type FreshLook =
  | { kind: "found"; candidate: Candidate; fingerprint?: Fingerprint; tried: StrategyTrial[] }
  | { kind: "conflict"; message: string; tried: StrategyTrial[] }
  /** The remembered element, renamed, in its old place: a heal (place.ts). */
  | { kind: "place"; match: PlaceMatch; candidate: Candidate; tried: StrategyTrial[] }
  | { kind: "none"; tried: StrategyTrial[] };

const POINTER: ReadonlySet<StepAction> = new Set<StepAction>(["click", "dblclick", "hover", "check", "uncheck", "select"]);

export async function freshLook(page: Page, target: Target, action: StepAction, stored: Fingerprint | undefined): Promise<FreshLook> {
  const d = await discoverOnce(page, target, action, { wholeNameOnly: true });
  if (!d.found) return { kind: "none", tried: d.tried };
  const loc = page.locator(d.candidate.selector);
  // Not reachable as it is (covered, hidden, disabled): the heal's reveal round deals with it.
  if (!(await checkGate(loc, action)).ok) return { kind: "none", tried: d.tried };
  if (POINTER.has(action) && (await isCovered(loc))) return { kind: "none", tried: d.tried };
  const rival = await identityRival(page, loc, stored, stepWords(target)).catch(() => undefined);
  if (rival) {
    return { kind: "conflict", tried: d.tried, message: `no confident match: the step's words now name another element than the one this step used, which is still on the page as ${describeFingerprint(rival)}` };
  }
  const fingerprint = await captureFingerprint(loc, { timeout: 1000 }).catch(() => undefined);
  // Found by an attribute that spells the words (id="save") on an element whose own name says more or something
  // else ("Save draft"): the words do not name it; the heal judges it.
  if (!namedByWords(fingerprint, target)) return { kind: "none", tried: d.tried };
  // The words name an element somewhere else while the remembered one, renamed, still holds its place (a new
  // newsletter form carries the field's old placeholder): the element in the old place wins when its new name is
  // a rewording of the words; else neither is the step's element.
  if (stored?.placeKind && fingerprint && !samePlace(stored, fingerprint)) {
    const m = await findByPlace(page, stored, target.within, target);
    if ("candidate" in m && m.byKey && !(await sameElement(page, loc, page.locator(m.candidate.selector)))) {
      if (mayBeReworded(m.fingerprint, target) && (await checkGate(page.locator(m.candidate.selector), action)).ok) {
        return { kind: "place", match: m, candidate: (await namedLocator(page, m, action)) ?? m.candidate, tried: d.tried };
      }
      return {
        kind: "conflict",
        tried: d.tried,
        message: `no confident match: the step's words now name ${describeFingerprint(fingerprint)} elsewhere, while the element this step used is still in its place as ${describeFingerprint(m.fingerprint)}`,
      };
    }
  }
  return { kind: "found", candidate: d.candidate, fingerprint, tried: d.tried };
}

/** The element's names say the step's words (words.ts), or it has no name to contradict them. */
function namedByWords(fp: Fingerprint | undefined, target: Target): boolean {
  if (!fp) return false;
  const names = [fp.label, fp.ariaLabel, fp.text, fp.placeholder, fp.title, fp.alt, fp.value].filter((n): n is string => !!n?.trim());
  return names.length === 0 || SAYS_THE_SAME.has(bestMatch(stepWords(target), names).relation);
}

/**
 * "the page now calls this '…'" when the element's names no longer say the step's words as written (the words
 * measure read them as the same, or the element was healed by its place), with the step text to update.
 */
export function rewordNote(step: Step, target: Target, fp: Fingerprint | undefined): string | undefined {
  if (!fp) return undefined;
  const words = stepWords(target);
  const names = [fp.label, fp.ariaLabel, fp.text, fp.placeholder, fp.title, fp.alt, fp.value];
  // A count or a parenthetical after the name ("Cart (2)", "Notifications 3") is state, not a new name.
  const bare = names.map((n) => n?.replace(/\([^()]*\)\s*$/, "").replace(/(^|\s)\d+\s*$/, ""));
  if (bestMatch(words, bare).relation === "same") return undefined;
  const best = bestMatch(words, names);
  if (best.relation === "same") return undefined;
  const now = (best.name ?? names.find((n) => n?.trim()))?.replace(/\s+/g, " ").trim();
  if (!now) return undefined;
  const re = new RegExp(escapeRegex(words.trim()).replace(/\s+/g, "\\s+"), "i");
  const updated = re.test(step.text) ? step.text.replace(re, now.replace(/[:*]+$/, "").trim()) : undefined;
  return `the page now calls this ${JSON.stringify(now)}${updated ? `; update the step to: ${updated}` : ""}`;
}

// Heal one element step, within a budget of rounds: 1 reveal (scroll, dismiss overlays, re-discover),
// 2 re-probe (strategies in heal-history order, the stored fingerprint as hint), 3 similarity (score every candidate
// against the stored fingerprint; threshold + margin). Every candidate must pass the gate and is verified by
// independent evidence families; names must match whole (a look-alike "Password hint" is not "Password").
// No confident, gated match → no heal: the caller fails the step rather than act on a look-alike.
import type { Page } from "playwright-core";
import { describeFingerprint, type Fingerprint } from "@/domain/fingerprint";
import type { StepAction, Target } from "@/domain/step";
import { discoverOnce, type StrategyTrial } from "../locate/discovery";
import { captureFingerprint, selectorForFingerprint } from "../fingerprint/fingerprint-capture";
import { listFrameScopes, throughFrames } from "../locate/frames";
import { checkGate } from "../gate/gate";
import { scopeToLandmark } from "../locate/landmark-scope";
import { resolveRegion, rowLike } from "../locate/region";
import { expandToReveal, hiddenBehindControl, openRegionMenu, revealTarget, type Opener } from "./reveal";
import { chooseCandidate } from "../fingerprint/similarity";
import { DISCOVERY_STRATEGIES, WORD_STRATEGIES } from "../locate/strategies";
import { roleNameStrategy } from "../locate/strategies/role-name";
import { isWholeName } from "../locate/strategies/selector-syntax";
import type { Candidate, Strategy } from "../locate/strategies/types";
import { candidatesWithin, holdsWords, offerable, verifyElement, type Verification } from "./verify";
import { findByPlace, mayBeReworded, namedLocator } from "./place";

export type HealRoundKind = "reveal" | "reprobe" | "similarity" | "place";
export type HealAttempt = {
  round: number;
  kind: HealRoundKind;
  outcome: "HEALED" | "UNVERIFIED" | "FAILED";
  candidate?: Candidate;
  verified: boolean;
  families: string[];
  tried: StrategyTrial[];
  chosen?: Fingerprint;
  score?: number;
  durationMs: number;
  note: string;
};
export type HealRequest = {
  page: Page;
  target: Target;
  action: StepAction;
  oldSelector?: string;
  /** The old selector still matches the remembered element, only hidden or covered: once revealed it is trusted.
   *  A stale selector (a look-alike, or nothing) is never trusted, revealed or not. */
  oldValid?: boolean;
  stored?: Fingerprint;
  /** Strategies in heal-history order (rankStrategies), for round 2. */
  ranked: readonly Strategy[];
  budget?: number;
  onAttempt?: (a: HealAttempt) => Promise<void>;
};
export type HealResult =
  | { ok: true; candidate: Candidate; verified: boolean; attempts: HealAttempt[]; fingerprint?: Fingerprint; opener?: Opener }
  | { ok: false; attempts: HealAttempt[]; message: string; unverified?: Candidate };

export const DEFAULT_HEAL_BUDGET = 3;

/**
 * The role + accessible-name probe (roles from the step's type word, else from its action) found this very
 * element by the step's name matched as a whole: returns that agreeing candidate, else undefined.
 */
export function namedByStep(v: Pick<Verification, "agreements">): Candidate | undefined {
  return v.agreements.find((a) => a.strategy === roleNameStrategy.name && isWholeName(a.candidate?.nameMatch))?.candidate;
}

/** The candidate to keep once verified: its own selector when stable, else the best stable agreeing one. */
function preferStable(c: Candidate, v: Verification): Candidate {
  if (c.stable) return c;
  const order = ["accessible-name", "stable-attribute", "text", "structure"];
  const alt = v.agreements
    .filter((a) => a.stable && a.candidate)
    .sort((a, b) => order.indexOf(a.family) - order.indexOf(b.family))[0];
  return alt?.candidate ?? c;
}


/**
 * The selector of the one hidden element the step's words name as a whole, or of the only one of several hidden
 * copies that a control would reveal (a desktop dropdown's link beside the same link in a display:none mobile
 * drawer). Null when there is none. Copies are only told apart on the whole page, not within a region.
 */
export async function hiddenElement(page: Page, target: Target, action: StepAction): Promise<string | null> {
  const d = await discoverOnce(page, target, action, { wholeNameOnly: true, requireVisible: false, strategies: WORD_STRATEGIES });
  if (d.found) return d.candidate.selector;
  if (target.within || target.override) return null;
  for (const s of WORD_STRATEGIES) {
    const cands = await s.find(page, target, action, { requireVisible: false, wholeNameOnly: true }).catch(() => []);
    const one = await hiddenBehindControl(page, cands.filter((c) => c.count > 1));
    if (one) return one;
  }
  return null;
}

export async function healElement(req: HealRequest): Promise<HealResult> {
  const { page, target, action, stored } = req;
  const budget = Math.max(1, req.budget ?? DEFAULT_HEAL_BUDGET);
  const attempts: HealAttempt[] = [];
  const rejected = new Set<string>();
  let fallback: Candidate | undefined;

  const judge = async (round: number, kind: HealRoundKind, c: Candidate, tried: StrategyTrial[], started: number, note: string, trusted = false) => {
    const loc = page.locator(c.selector);
    const gate = await checkGate(loc, action);
    let v: Verification = { families: [], agreements: [], verified: trusted };
    if (gate.ok && !trusted) v = await verifyElement(page, loc, target, action, stored);
    // "Click Insert link" is read both ways (a link "Insert", or the element named "Insert link"): either may verify.
    if (gate.ok && !trusted && !v.verified && target.literalHasType && target.literalName) {
      const { literalName, literalHasType: _t, kind: _k, ...rest } = target;
      const asNamed = await verifyElement(page, loc, { ...rest, name: literalName }, action, stored);
      if (asNamed.verified || namedByStep(asNamed)) v = asNamed;
    }
    // The one element whose role and whole name are the step's own words (any case or spacing) is what a first
    // run of this step would act on; a history that no longer matches the page must not make the step weaker
    // than that. A name that only contains the words ("Password hint" for Password), or the right text on an
    // element of another kind (a <span> "Save" for "the Save button"), never counts here.
    const named = gate.ok && !v.verified && !v.rival ? namedByStep(v) : undefined;
    if (named) {
      v = { ...v, verified: true };
      note = `${note}; the step names it (${named.nameMatch} role and name)`;
    }
    const chosen = gate.ok ? await captureFingerprint(loc, { timeout: 1000 }).catch(() => undefined) : undefined;
    const outcome: HealAttempt["outcome"] = !gate.ok ? "FAILED" : v.verified ? "HEALED" : "UNVERIFIED";
    let final = gate.ok && v.verified ? preferStable(c, v) : c;
    // Picked among look-alikes the step's words all name: keep a selector that says where (its landmark).
    if (gate.ok && v.verified && !final.stable && v.namedAmong) final = (await scopeToLandmark(page, loc, v.namedAmong)) ?? final;
    const a: HealAttempt = {
      round, kind, outcome, candidate: final, verified: v.verified, families: v.families, tried, chosen, score: c.score,
      durationMs: Math.round(performance.now() - started),
      note: gate.ok
        ? `${note}; evidence: ${v.families.join(" + ") || "none"}${v.nameConflict ? `, none of it from the step's words, and the element is called ${JSON.stringify(v.nameConflict)}` : ""}${v.rival ? `; but the element this step used before looks like ${describeFingerprint(v.rival)} now` : ""}`
        : `${note}; gate: ${gate.reason}`,
    };
    attempts.push(a);
    await req.onAttempt?.(a);
    // A look-alike the step's words name while the remembered element is elsewhere is never offered to the policy.
    if (outcome === "UNVERIFIED" && !v.rival && offerable(chosen, target)) fallback ??= c;
    rejected.add(c.selector);
    return outcome === "HEALED" ? { candidate: final, fingerprint: chosen } : null;
  };
  const nothing = async (round: number, kind: HealRoundKind, tried: StrategyTrial[], started: number, note: string) => {
    const a: HealAttempt = { round, kind, outcome: "FAILED", verified: false, families: [], tried, durationMs: Math.round(performance.now() - started), note };
    attempts.push(a);
    await req.onAttempt?.(a);
  };
  const discoverOpts = { hint: stored, wholeNameOnly: true };

  // Round 1: reveal, then the old selector (same element, now reachable) or first discovery again.
  let started = performance.now();
  let opener: Opener | undefined;
  const did = await revealTarget(page, req.oldSelector ? page.locator(req.oldSelector) : null);
  if (req.oldSelector && req.oldValid && did.length > 0 && (await page.locator(req.oldSelector).count().catch(() => 0)) === 1) {
    const old: Candidate = { strategy: "reveal", family: "explicit", selector: req.oldSelector, code: "", score: 1, count: 1, accepted: true, stable: true };
    const ok = await judge(1, "reveal", old, [], started, did.join(", "), true);
    if (ok) return { ok: true, candidate: { ...ok.candidate, code: "" }, verified: true, attempts, fingerprint: ok.fingerprint };
  } else {
    let d = await discoverOnce(page, target, action, { ...discoverOpts, strategies: DISCOVERY_STRATEGIES });
    if (!d.found) {
      // The element may be in a collapsed menu or section (a redesign moved the nav behind a hamburger button).
      const hidden = await hiddenElement(page, target, action);
      const opened = hidden ? await expandToReveal(page, page.locator(hidden)) : null;
      if (opened) {
        did.push(opened.note);
        opener = opened.opener ?? undefined;
        d = await discoverOnce(page, target, action, { ...discoverOpts, strategies: DISCOVERY_STRATEGIES });
      }
    }
    // (Found by its whole name in the menu of the row the step names: the row and the words are the evidence.)
    let inRowMenu = false;
    if (!d.found && rowLike(target.within)) {
      // The row's actions moved into its "⋯" menu, which exists only once opened: open it and look in it.
      const menu = await openRegionMenu(page, await resolveRegion(page, target.within));
      if (menu) {
        const { within: _row, ...inMenu } = target;
        const m = await discoverOnce(page.locator(menu.menu), inMenu, action, { ...discoverOpts, strategies: DISCOVERY_STRATEGIES });
        if (m.found) {
          did.push(`${menu.note}, where the step's words name it as a whole`);
          opener = menu.opener;
          inRowMenu = true;
          d = { ...m, candidate: { ...m.candidate, selector: `${menu.menu} >> ${m.candidate.selector}`, code: `getByRole("menu").${m.candidate.code}`, stable: true } };
        } else await page.keyboard.press("Escape").catch(() => undefined);
      }
    }
    if (d.found) {
      const ok = await judge(1, "reveal", d.candidate, d.tried, started, did.join(", ") || "re-discovered", inRowMenu);
      if (ok) return { ok: true, ...ok, verified: true, attempts, opener };
    } else await nothing(1, "reveal", d.tried, started, `${did.join(", ") || "nothing to reveal"}; ${d.message}`);
  }

  // Round 2: re-probe, strategies in heal-history order, skipping elements already judged.
  if (budget >= 2) {
    started = performance.now();
    const tried: StrategyTrial[] = [];
    let judged = false;
    for (const s of req.ranked) {
      const d = await discoverOnce(page, target, action, { ...discoverOpts, strategies: [s] });
      tried.push(...d.tried);
      if (d.found && !rejected.has(d.candidate.selector)) {
        judged = true;
        const ok = await judge(2, "reprobe", d.candidate, [...tried], started, `re-probe by ${s.name}`);
        if (ok) return { ok: true, ...ok, verified: true, attempts };
        started = performance.now();
      }
    }
    if (!judged) await nothing(2, "reprobe", tried, started, "no strategy found a new unique element");
  }

  // Round 3: similarity against the stored fingerprint, over every frame.
  if (budget >= 3 && stored) {
    started = performance.now();
    let note = "no confident match";
    for (const fs of await listFrameScopes(page)) {
      const cands = (await candidatesWithin(fs.frame, target.within)) ?? [];
      const pick = chooseCandidate(stored, cands);
      const best = pick.ranked[0] ? cands[pick.ranked[0].index] : undefined;
      note = `similarity: ${pick.reason} (best ${pick.score.toFixed(3)}${best ? `: ${describeFingerprint(best)}` : ""})`;
      const fp = pick.index >= 0 ? cands[pick.index] : undefined;
      const at = fp && selectorForFingerprint(fp);
      // One element: a path through a shadow root also matches a host's light child of the same tag and place.
      if (!at || (await fs.frame.locator(at.selector).count().catch(() => 0)) !== 1) continue;
      const full = throughFrames(fs.hops, at.selector, at.code);
      const c: Candidate = { strategy: "similarity", family: "structure", ...full, score: pick.score, count: 1, accepted: true, stable: false };
      if (rejected.has(c.selector)) continue;
      const ok = await judge(3, "similarity", c, [{ strategy: "similarity", ms: 0, count: cands.length, score: pick.score }], started, note);
      if (ok) return { ok: true, ...ok, verified: true, attempts };
    }
    if (!attempts.some((a) => a.round === 3)) await nothing(3, "similarity", [], started, note);
  }

  // A reworded element in its old place ("Email address" became "Email"): the one control of its kind there, with
  // its stable attributes, whose new name says nothing else than the step (place.ts).
  if (budget >= 3 && stored?.placeKind) {
    started = performance.now();
    const m = await findByPlace(page, stored, target.within, target);
    if ("candidate" in m && mayBeReworded(m.fingerprint, target)) {
      const named = await namedLocator(page, m, action);
      const ok = await judge(3, "place", named ?? m.candidate, [], started, `reworded in its place: ${describeFingerprint(stored)} → ${m.note}`, true);
      if (ok) return { ok: true, ...ok, verified: true, attempts };
    } else {
      const why = "candidate" in m ? `${m.note}, but that name says something else than the step` : m.reason;
      await nothing(3, "place", [], started, `by its place: ${why}`);
    }
  }

  // Last: a reworded element ("Checkout" became "Proceed to checkout"): the one element of the step's kind whose
  // name holds the step's words as whole words. Only ever a candidate for the heal policy (verification looks at
  // whole names), so the tester sees what it was, and a test that proceeds on unverified heals can go on.
  if (budget >= 3 && !fallback) {
    started = performance.now();
    const d = await discoverOnce(page, target, action, { hint: stored, strategies: [roleNameStrategy] });
    if (d.found && !rejected.has(d.candidate.selector) && (await holdsWords(page.locator(d.candidate.selector), target.name))) {
      const ok = await judge(3, "reprobe", d.candidate, d.tried, started, "reworded: the step's words are part of its name");
      if (ok) return { ok: true, ...ok, verified: true, attempts };
    }
  }

  const last = attempts.at(-1)?.note ?? "no heal attempted";
  if (fallback) {
    const seen = attempts.find((a) => a.outcome === "UNVERIFIED" && a.chosen)?.chosen;
    const what = seen ? `the candidate, ${describeFingerprint(seen)}` : "the candidate";
    return { ok: false, attempts, message: `unverified heal: only one evidence family points at ${what} (${last})`, unverified: fallback };
  }
  return { ok: false, attempts, message: `no confident match (${last})` };
}

// Resolves a step's element through the cache, discovery and healing:
//   cache hit → validate cheaply (still unique, fingerprint still similar) → use it; else mark stale;
//   no entry → discovery; found → gate → store (stable selectors only);
//   stale entry or discovery failed → heal (reveal, re-probe by history, similarity), verified by two families;
//   an unverified heal follows the run's heal policy; no confident match fails the step.
import type { Page } from "playwright-core";
import { z } from "zod";
import { describeFingerprint, ZFingerprint, type Fingerprint } from "@/domain/fingerprint";
import { literalTarget, scopedTarget, type Step, type StepAction, type Target } from "@/domain/step";
import type { PrismaClient } from "@/generated/prisma/client";
import { rankStrategies } from "../../cache/heal-history";
import { describeElement, type CacheGetResult, type CacheSource, type SelectorCache, type SelectorCacheKey } from "../../cache/selector-cache";
import { discoverElement, discoverOnce, type StrategyTrial } from "../locate/discovery";
import { captureFingerprint } from "../fingerprint/fingerprint-capture";
import { checkGate, FIRST_LOOK_MS, needsEnabled, passesGateFacts, waitForSettled } from "../gate/gate";
import { confirmWatched, inspectElement } from "../gate/hit-check";
import { healElement, hiddenElement, type HealAttempt } from "../repair/healer";
import { identityRival, NEAR_IDENTICAL, sameElement, similarityAgrees, stepWords } from "../repair/verify";
import { findByPlace, samePlace } from "../repair/place";
import { recordHealAttempt, recordStrategyOutcomes, type HealRecordKey } from "../repair/heal-record";
import { isBlockedByModal, isCovered } from "../page/covered";
import { dismissals, hasOpener, hasRegionMenu, openWith, revealTarget, type Opener } from "../repair/reveal";
import { resolveRegion, rowLike } from "../locate/region";
import { isToggleInput, visibleViaLabel } from "../locate/strategies/probe";
import { DEFAULT_CHOOSE_OPTIONS, scoreFingerprint } from "../fingerprint/similarity";
import { isWholeName } from "../locate/strategies/selector-syntax";
import { ALL_STRATEGIES, getStrategy, NAME_STRATEGIES } from "../locate/strategies";
import type { Candidate, Strategy } from "../locate/strategies/types";
import { wordsStrategy } from "../locate/strategies/words";
import { freshLook, rewordNote } from "./fresh-look";
import { toUrlPattern } from "./url-pattern";
import { rejectionFor } from "../../review/rejections";

export type EngineContext = {
  db: PrismaClient;
  cache: SelectorCache | null;
  teamId: string;
  runId: string;
  stepIdx: number;
  healPolicy: "FAIL" | "PROCEED_AND_FLAG";
  healBudget?: number;
  /** This step's cache lookup and hit check, made ahead of time (precheckElement); used when its key still applies. */
  precheck?: Precheck | null;
};

/** A cache lookup (and, for a hit, the in-page check) made before the step starts; see precheckElement. */
export type Precheck = { key: SelectorCacheKey; got: CacheGetResult; stored: Stored; watching: boolean };

export type Resolved = {
  candidate: Candidate;
  cacheSource: CacheSource;
  healed: boolean;
  healVerified: boolean;
  attempts: HealAttempt[];
  tried: StrategyTrial[];
  /** What the element is, when a cache hit already knows it from its stored fingerprint (saves the action a look). */
  known?: { tag?: string; type?: string };
  /** An overlay lay over the element found (a consent banner) and was dismissed first: what was done. */
  cleared?: string[];
  /** The remembered element was gone and the step's own words found this one, as an empty cache would: the
   *  old → new selector (not a heal). */
  rediscovered?: { oldSelector: string; newSelector: string };
  /** For the step's record: the element found is called something else now (see rewordNote). */
  note?: string;
};

export class ResolveFailure extends Error {
  constructor(
    message: string,
    readonly tried: StrategyTrial[],
    readonly attempts: HealAttempt[],
    readonly kind: "NOT_FOUND" | "TIMEOUT" = "NOT_FOUND",
  ) {
    super(message);
  }
}

/** The right element that is disabled or still moving is not drift: wait for it, then time out (no heal). */
async function waitForGate(page: Page, selector: string, action: Step["action"], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gate = await checkGate(page.locator(selector), action);
    if (gate.ok || !/disabled|moving/.test(gate.reason) || Date.now() >= deadline) return gate;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the cache keeps beside a selector: the element's fingerprint, its generated locator, and the control that
 * had to be opened to show it (a menu), if any. */
type Stored = { fingerprint?: Fingerprint; locatorCode?: string; opener?: Opener };
const ZOpener = z.object({ selector: z.string().min(1), how: z.enum(["click", "hover"]) });
/** Actions that go through the pointer: something painted over the element takes them. */
export const POINTER_ACTIONS: ReadonlySet<string> = new Set(["click", "dblclick", "hover", "check", "uncheck", "select"]);

/** Actions that type into the element: a modal dialog it is not in keeps them from landing. */
const TYPING_ACTIONS: ReadonlySet<string> = new Set(["fill", "type", "clear", "press"]);

/** A pointer action on an element something else is painted over, or any action on an element a modal dialog
 * makes inert, needs round 1 (reveal) first. Hidden native
 * checkboxes toggled through their visible label are not "covered": the executor acts through the label. */
async function needsReveal(page: Page, selector: string, action: string): Promise<boolean> {
  const loc = page.locator(selector);
  if (!POINTER_ACTIONS.has(action)) return TYPING_ACTIONS.has(action) && (await isBlockedByModal(loc));
  if (!(await isCovered(loc))) return false;
  if ((action === "check" || action === "uncheck" || (action === "click" && (await isToggleInput(loc)))) && (await visibleViaLabel(loc))) return false;
  return true;
}

/**
 * The element is the right one but an overlay lies over it (a consent banner shown on every fresh visit, a modal
 * dialog): nothing drifted, so nothing is healed. The overlay is dismissed as a heal's round 1 would; what was done
 * when that frees the element for the action, else null (the heal takes over).
 */
async function clearOverlay(page: Page, selector: string, action: StepAction): Promise<string[] | null> {
  if (!(await needsReveal(page, selector, action))) return null;
  const did = await revealTarget(page, page.locator(selector));
  if (dismissals(did).length === 0) return null;
  if (await needsReveal(page, selector, action)) return null;
  return (await checkGate(page.locator(selector), action)).ok ? did : null;
}

function readStored(raw: unknown): Stored {
  if (!raw || typeof raw !== "object") return {};
  const fp = ZFingerprint.safeParse(raw);
  const code = (raw as { locatorCode?: unknown }).locatorCode;
  const opener = ZOpener.safeParse((raw as { opener?: unknown }).opener);
  return { fingerprint: fp.success ? fp.data : undefined, locatorCode: typeof code === "string" ? code : undefined, opener: opener.success ? opener.data : undefined };
}

/**
 * How many elements the selector matches on the settled page, waiting up to `ms` for one to appear when none
 * does yet (a slow page). Several matches on a settled page are an answer, not a transition to wait out: the
 * page has gained look-alikes, which is for the healer.
 */
async function pollCount(page: Page, selector: string, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const n = await page.locator(selector).count().catch(() => 0);
    if (n > 0 || Date.now() >= deadline) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * How the element a cached selector matches compares with the one stored with it: "no" below the heal's bar (same
 * scorer, threshold and identity minimum), "near" when it is still the element as it was (a warm run of an
 * unchanged page: no need to look for a rival), else "similar", with the score.
 */
type Standing = { level: "no" | "similar" | "near"; score: number };
function standing(stored: Fingerprint | undefined, now: Fingerprint): Standing {
  if (!stored) return { level: "near", score: 1 };
  const s = scoreFingerprint(stored, now);
  const similar = s.score >= DEFAULT_CHOOSE_OPTIONS.threshold && (s.identityScore === null || s.identityScore >= DEFAULT_CHOOSE_OPTIONS.minIdentity);
  return { level: !similar ? "no" : s.score >= NEAR_IDENTICAL ? "near" : "similar", score: s.score };
}

/**
 * A hit that resembles the stored element but is not near-identical may be a look-alike that took over its name
 * (the sign-in field renamed "Email address" and a new newsletter field labelled "Email"). It is not the stored
 * element when another element carries the stored id or test id and still holds the step's words, or, for a hit
 * that changed a lot (score below RIVAL_SCAN_BELOW), when the scorer over every candidate of the frame
 * confidently picks another one.
 */
async function rivalled(page: Page, selector: string, stored: Fingerprint | undefined, words: string, score: number): Promise<boolean> {
  if (!stored) return false;
  const loc = page.locator(selector);
  if (await identityRival(page, loc, stored, words).catch(() => undefined)) return true;
  // The hit sits in another place than the stored element, while the one element of its kind in the old place
  // is still there (renamed): the selector now points at a newcomer that carries the old words.
  if (stored.placeKind) {
    const now = await captureFingerprint(loc, { timeout: 1000, neighbours: false }).catch(() => null);
    if (now && !samePlace(stored, now)) {
      const m = await findByPlace(page, stored).catch(() => null);
      if (m && "candidate" in m && m.byKey && !(await sameElement(page, loc, page.locator(m.candidate.selector)))) return true;
    }
  }
  // Scoring every candidate of the frame costs a page-wide capture: only for a hit that has really changed (a
  // dynamic neighbour text alone keeps a hit above this bar).
  if (score >= RIVAL_SCAN_BELOW) return false;
  const sim = await similarityAgrees(loc, stored).catch(() => ({ agrees: true, pick: undefined }));
  return !sim.agrees && !!sim.pick;
}

/** Below this score against its stored fingerprint a hit is checked against every other candidate of the page. */
const RIVAL_SCAN_BELOW = 0.85;

/** The standing of the element a cached selector matches now, captured the slow way; "no" when it cannot be read. */
async function standingNow(page: Page, selector: string, stored: Fingerprint | undefined): Promise<Standing> {
  if (!stored) return { level: "near", score: 1 };
  const now = await captureFingerprint(page.locator(selector), { timeout: 1000, neighbours: false }).catch(() => null);
  return now ? standing(stored, now) : { level: "no", score: 0 };
}

/**
 * A cache hit is used when its selector matches one element that still resembles the stored fingerprint, and
 * that element passes the gate with nothing painted over it. The common case is answered by one in-page look
 * (hit-check.ts) that also serves as the settle wait; whatever it is not sure about is checked again the slow
 * way, on the settled page, with Playwright's own predicates. A selector that matches nothing within `ms` is
 * not waited for twice.
 */
async function checkHit(page: Page, selector: string, stored: Fingerprint | undefined, action: StepAction, words: string, ms: number, settleCapMs: number, goneWhen?: () => Promise<boolean>) {
  const seen = await inspectElement(page.locator(selector), { timeoutMs: ms, covered: POINTER_ACTIONS.has(action), needEnabled: needsEnabled(action), minQuietMs: FIRST_LOOK_MS, goneWhen });
  if (seen.kind === "gone") return { valid: false, usable: false };
  const looked = seen.kind === "seen" ? standing(stored, seen.fingerprint) : undefined;
  if (seen.kind === "seen" && looked && looked.level !== "no" && seen.quiet && passesGateFacts(seen, action) && !seen.covered) {
    if (looked.level === "near" || !(await rivalled(page, selector, stored, words, looked.score))) return { valid: true, usable: true };
    return { valid: false, usable: false };
  }
  await waitForSettled(page, { capMs: settleCapMs });
  if ((await pollCount(page, selector, ms)) !== 1) return { valid: false, usable: false };
  const [now, gate, reveal] = await Promise.all([
    standingNow(page, selector, stored),
    checkGate(page.locator(selector), action),
    needsReveal(page, selector, action),
  ]);
  const valid = now.level === "near" || (now.level === "similar" && !(await rivalled(page, selector, stored, words, now.score)));
  return { valid, usable: valid && gate.ok && !reveal };
}

async function storeSelector(page: Page, cache: SelectorCache | null, key: { teamId: string; urlPattern: string; elementName: string }, c: Candidate, fp?: Fingerprint, opener?: Opener) {
  if (!cache || c.strategy === "override") return;
  const fingerprint = fp ?? (await captureFingerprint(page.locator(c.selector), { timeout: 1000 }).catch(() => undefined));
  await cache.put({ ...key, selector: c.selector, strategy: c.strategy, confidence: c.score, stable: c.stable, fingerprint: { ...fingerprint, locatorCode: c.code, opener } });
}

/** On a settled page, the step's words name one hidden element that a visible control would reveal. */
async function hiddenBehindOpener(page: Page, target: Target, action: StepAction): Promise<boolean> {
  if (!(await waitForSettled(page, { capMs: 300 }))) return false;
  const hidden = await hiddenElement(page, target, action);
  if (hidden) return hasOpener(page.locator(hidden));
  // Nothing in the step's row, which has a "⋯" menu: its actions may be in there (the heal opens it).
  return rowLike(target.within) && (await hasRegionMenu(page, await resolveRegion(page, target.within)));
}

/** Whole-name discovery (as a heal would look) finds one element, and not through the selector `not`. */
async function namedByWords(page: Page, target: Target, action: StepAction, not: string): Promise<boolean> {
  const d = await discoverOnce(page, target, action, { wholeNameOnly: true, strategies: NAME_STRATEGIES });
  return d.found && d.candidate.selector !== not && isWholeName(d.candidate.nameMatch);
}

const keyFor = (page: Page, teamId: string, target: Target): SelectorCacheKey => ({ teamId, urlPattern: toUrlPattern(page.url()), elementName: describeElement(target) });
const sameKey = (a: SelectorCacheKey, b: SelectorCacheKey) => a.teamId === b.teamId && a.urlPattern === b.urlPattern && a.elementName === b.elementName;

/**
 * The cache part of resolveElement made ahead of time, while the page is only being looked at (the previous
 * step's screenshot): the lookup, and for a hit the one-look in-page check with a watch left running. Acting
 * on it later costs one call (confirmWatched: nothing in the page changed, same element); anything else falls
 * back to the full check in resolveElement, which reuses this lookup rather than counting a second one.
 * Read-only for the page. Null when the step has no cacheable element.
 */
export async function precheckElement(page: Page, step: Step, engine: EngineContext): Promise<Precheck | null> {
  const target = step.target;
  if (!target || target.override || !engine.cache) return null;
  let key = keyFor(page, engine.teamId, target);
  let got = await engine.cache.get(key).catch((): CacheGetResult => ({ entry: null, source: "miss" }));
  const scoped = scopedTarget(target);
  if (!got.entry && scoped) {
    // The step's scoped reading (`Add to cart for Hoodie`) is cached under its own key.
    const scopedKey = keyFor(page, engine.teamId, scoped);
    const hit = await engine.cache.get(scopedKey).catch((): CacheGetResult => ({ entry: null, source: "miss" }));
    if (hit.entry) [key, got] = [scopedKey, hit];
  }
  if (!got.entry) return { key, got, stored: {}, watching: false };
  const stored = readStored(got.entry.fingerprint);
  const loc = page.locator(got.entry.selector);
  const seen = await inspectElement(loc, { timeoutMs: 0, covered: POINTER_ACTIONS.has(step.action), needEnabled: needsEnabled(step.action), watch: true });
  let watching = seen.kind === "seen" && seen.watching;
  if (seen.kind === "seen" && watching && standing(stored.fingerprint, seen.fingerprint).score < NEAR_IDENTICAL) {
    await confirmWatched(loc); // ends the watch
    watching = false;
  }
  return { key, got, stored, watching };
}

/** The message a step fails with when its element resolves to one a reviewer rejected (src/server/review/). */
export const REJECTED_HEAL = "a reviewer rejected this heal";

/**
 * resolveElement, then the one check review adds: an element that discovery or a heal picked (not a cache hit)
 * which a reviewer rejected for this element is never acted on; its cache entry goes and the step fails.
 */
export async function resolveElement(page: Page, step: Step, timeoutMs: number, engine?: EngineContext): Promise<Resolved> {
  const target = step.target!;
  const scoped = scopedTarget(target);
  const names = [describeElement(scoped ? literalTarget(target) : target), ...(scoped ? [describeElement(scoped)] : [])];
  const urlPattern = toUrlPattern(page.url());
  const r = await resolveUnchecked(page, step, timeoutMs, engine);
  if (!engine || target.override || (!r.healed && r.cacheSource !== "miss")) return r;
  const reason = await rejectionFor(engine.db, page, { teamId: engine.teamId, urlPattern, elementNames: names }, r.candidate.selector);
  if (reason === null) return r;
  for (const elementName of names) await engine.cache?.invalidate({ teamId: engine.teamId, urlPattern, elementName }).catch(() => undefined);
  throw new ResolveFailure(`${REJECTED_HEAL}: ${reason}`, r.tried, r.attempts);
}

async function resolveUnchecked(page: Page, step: Step, timeoutMs: number, engine?: EngineContext): Promise<Resolved> {
  const written = step.target!;
  const action = step.action;
  const settleCapMs = Math.min(1000, timeoutMs);
  // A target with a scoped reading (`Add to cart for Hoodie`) is resolved as one of its two readings, each with a
  // cache key of its own: the one whose entry the cache holds (the literal one first), else the one discovery
  // finds. From then on the cache check, the heal and the store all work on that reading alone, so a run never
  // checks or heals the element one reading found against the other reading's words.
  const scoped = scopedTarget(written);
  let target = scoped ? literalTarget(written) : written;
  let key = keyFor(page, engine?.teamId ?? "", target);
  const scopedKey = scoped && keyFor(page, engine?.teamId ?? "", scoped);
  const useReading = (reading: Target, readingKey: SelectorCacheKey) => {
    target = reading;
    key = readingKey;
  };
  const cache = engine && !target.override ? engine.cache : null;
  const pre = engine?.precheck && (sameKey(engine.precheck.key, key) || (scopedKey && sameKey(engine.precheck.key, scopedKey))) ? engine.precheck : undefined;
  if (pre && scoped && scopedKey && sameKey(pre.key, scopedKey)) useReading(scoped, scopedKey);
  let stored: Stored = {};
  let oldSelector: string | undefined;
  /** The old selector still matches the remembered element (only hidden or covered), not a stale look-alike. */
  let oldValid = false;
  let oldCode: string | undefined;
  let cacheSource: CacheSource = "miss";
  let known: { selector: string; strategy: string; confidence: number } | undefined;

  if (cache) {
    let got = pre ? pre.got : await cache.get(key).catch((): CacheGetResult => ({ entry: null, source: "miss" }));
    // A precheck has looked up both readings already.
    if (!got.entry && !pre && scoped && scopedKey) {
      const hit = await cache.get(scopedKey).catch((): CacheGetResult => ({ entry: null, source: "miss" }));
      if (hit.entry) {
        got = hit;
        useReading(scoped, scopedKey);
      }
    }
    if (got.entry) {
      known = { selector: got.entry.selector, strategy: got.entry.strategy, confidence: got.entry.confidence };
      stored = readStored(got.entry.fingerprint);
      const sel = got.entry.selector;
      // The element lived in a menu that had to be opened: open it again when it is closed (a fresh page).
      if (stored.opener && !pre?.watching) {
        await waitForSettled(page, { capMs: settleCapMs });
        if (!(await page.locator(sel).first().isVisible().catch(() => false))) await openWith(page, stored.opener);
      }
      const confirmed = pre?.watching === true && (await confirmWatched(page.locator(sel), FIRST_LOOK_MS, { covered: POINTER_ACTIONS.has(action) }));
      // A cached selector that matches nothing is waited for (a slow page is not drift), unless the settled page
      // already shows the element the step's own words name as a whole: then the selector is stale, not early.
      const namedElsewhere = async () => (await waitForSettled(page, { capMs: 300 })) && (await namedByWords(page, target, action, sel));
      const hit = confirmed ? { valid: true, usable: true } : await checkHit(page, sel, stored.fingerprint, action, stepWords(target), Math.min(timeoutMs, 2000), settleCapMs, namedElsewhere);
      if (hit.valid) {
        const c: Candidate = { strategy: got.entry.strategy, family: getStrategy(got.entry.strategy)?.family ?? "explicit", selector: sel, code: oldCode ?? stored.locatorCode ?? `locator(${JSON.stringify(sel)})`, score: got.entry.confidence, count: 1, accepted: true, stable: true };
        const fp = stored.fingerprint;
        const known = fp && { tag: fp.tag, type: fp.type };
        if (hit.usable) return { candidate: c, cacheSource: got.source, healed: false, healVerified: false, attempts: [], tried: [], known };
        const cleared = await clearOverlay(page, sel, action);
        if (cleared) return { candidate: c, cacheSource: got.source, healed: false, healVerified: false, attempts: [], tried: [], known, cleared };
        oldSelector = sel; // valid element, but hidden or covered: reveal it (round 1)
        oldValid = true;
        oldCode = c.code;
      } else {
        await cache.markStale(key, got.source).catch(() => undefined);
        oldSelector = sel;
      }
    }
  }
  await waitForSettled(page, { capMs: settleCapMs }); // discovery and healing look at the settled page

  let tried: StrategyTrial[] = [];
  let discoveryMessage = "";
  if (!oldSelector) {
    // An element that only a closed menu hides will not show by itself: the heal's reveal opens the menu.
    const d = await discoverElement(page, written, action, { timeoutMs, giveUpWhen: engine ? () => hiddenBehindOpener(page, written, action) : undefined });
    tried = d.tried;
    if (d.found && d.reading && scopedKey) useReading(d.reading, scopedKey);
    if (d.found) {
      const loc = page.locator(d.candidate.selector);
      const gate = await waitForGate(page, d.candidate.selector, action, timeoutMs);
      if (!gate.ok && /disabled|moving/.test(gate.reason)) {
        throw new ResolveFailure(`Timeout ${timeoutMs}ms exceeded waiting for ${d.candidate.selector}: element is ${gate.reason}`, tried, [], "TIMEOUT");
      }
      const cleared = gate.ok && (await needsReveal(page, d.candidate.selector, action)) ? await clearOverlay(page, d.candidate.selector, action) : undefined;
      if (gate.ok && cleared !== null) {
        // Found by the words measure rather than by the name as written: say what the page calls it now.
        const fp = d.candidate.strategy === wordsStrategy.name ? await captureFingerprint(loc, { timeout: 1000 }).catch(() => undefined) : undefined;
        await storeSelector(page, cache, key, d.candidate, fp).catch(() => undefined);
        const note = rewordNote(step, target, fp);
        return { candidate: d.candidate, cacheSource, healed: false, healVerified: false, attempts: [], tried, ...(cleared ? { cleared } : {}), ...(note ? { note } : {}) };
      }
      oldSelector = d.candidate.selector;
      oldValid = true;
      oldCode = d.candidate.code;
      stored.fingerprint ??= await captureFingerprint(loc, { timeout: 1000 }).catch(() => undefined);
    } else if (!engine) {
      throw new ResolveFailure(d.message, tried, []);
    } else discoveryMessage = `${d.message}; `;
  }

  /** Puts the element's last known selector and fingerprint back (the stale lookup expired them). */
  const keepKnown = async () => {
    if (!cache || !known || !stored.fingerprint) return;
    await cache.put({ ...key, ...known, stable: true, fingerprint: { ...stored.fingerprint, locatorCode: stored.locatorCode, opener: stored.opener } }).catch(() => undefined);
  };

  const recKey0 = (e: EngineContext): HealRecordKey => ({ runId: e.runId, stepIdx: e.stepIdx, ...key });
  // The remembered element is gone, or the cached selector points at something else: first look as a run with an
  // empty cache would (never stricter than that, see fresh-look.ts).
  if (oldSelector && !oldValid && known) {
    const fresh = await freshLook(page, target, action, stored.fingerprint);
    tried = [...tried, ...fresh.tried];
    if (fresh.kind === "found") {
      const c = fresh.candidate;
      await storeSelector(page, cache, key, c, fresh.fingerprint).catch(() => undefined);
      const note = [`re-discovered by the step's words (the remembered element is gone; was ${oldSelector})`, rewordNote(step, target, fresh.fingerprint)].filter(Boolean).join("; ");
      return { candidate: c, cacheSource, healed: false, healVerified: false, attempts: [], tried, rediscovered: { oldSelector, newSelector: c.selector }, note };
    }
    if (fresh.kind === "place" && engine && recKey0(engine)) {
      const started = performance.now();
      const c = fresh.candidate;
      const a: HealAttempt = {
        round: 3, kind: "place", outcome: "HEALED", candidate: c, verified: true, families: ["structure", "stable-attribute"], tried: fresh.tried,
        chosen: fresh.match.fingerprint, score: c.score, durationMs: Math.round(performance.now() - started),
        note: `the step's words name another element elsewhere; reworded in its place: ${stored.fingerprint ? describeFingerprint(stored.fingerprint) : "the remembered element"} → ${fresh.match.note}`,
      };
      const recKey = recKey0(engine)!;
      await recordHealAttempt(engine.db, page, recKey, a, oldSelector);
      await recordStrategyOutcomes(engine.db, recKey, [a], c.strategy);
      if (c.stable) await storeSelector(page, cache, key, c, fresh.match.fingerprint).catch(() => undefined);
      else await keepKnown();
      const note = rewordNote(step, target, fresh.match.fingerprint);
      return { candidate: c, cacheSource, healed: true, healVerified: true, attempts: [a], tried, ...(note ? { note } : {}) };
    }
    if (fresh.kind === "conflict") {
      await keepKnown();
      const what = `${JSON.stringify(target.name)}${target.kind ? ` (${target.kind})` : ""}`;
      throw new ResolveFailure(`could not heal ${what}: ${fresh.message}`, tried, []);
    }
  }

  // Heal.
  const names = ALL_STRATEGIES.map((s) => s.name);
  const order = engine ? await rankStrategies(engine.db, key, names).catch(() => names) : names;
  const ranked = order.map((n) => getStrategy(n)).filter((s): s is Strategy => !!s);
  const recKey: HealRecordKey | null = engine ? { runId: engine.runId, stepIdx: engine.stepIdx, ...key } : null;
  const heal = await healElement({
    page, target, action, oldSelector, oldValid, stored: stored.fingerprint, ranked, budget: engine?.healBudget,
    onAttempt: async (a) => {
      if (engine && recKey) await recordHealAttempt(engine.db, page, recKey, a, oldSelector);
    },
  });
  if (heal.ok) {
    if (engine && recKey) await recordStrategyOutcomes(engine.db, recKey, heal.attempts, heal.candidate.strategy);
    const c = heal.candidate.code ? heal.candidate : { ...heal.candidate, code: oldCode ?? stored.locatorCode ?? `locator(${JSON.stringify(heal.candidate.selector)})` };
    if (c.stable) await storeSelector(page, cache, key, c, heal.fingerprint, heal.opener).catch(() => undefined);
    // A heal whose selector cannot be cached (a position) keeps the element's memory instead, so the next run
    // meets the same drift and heals the same way rather than starting without a fingerprint.
    else await keepKnown();
    const note = rewordNote(step, target, heal.fingerprint);
    return { candidate: c, cacheSource, healed: true, healVerified: heal.verified, attempts: heal.attempts, tried, ...(note ? { note } : {}) };
  }
  if (engine && recKey) await recordStrategyOutcomes(engine.db, recKey, heal.attempts, undefined);
  if (heal.unverified && engine?.healPolicy === "PROCEED_AND_FLAG") {
    return { candidate: heal.unverified, cacheSource, healed: true, healVerified: false, attempts: heal.attempts, tried };
  }
  // The drift was not healed (no confident match, or one the policy refused): keep the element's last known
  // selector and fingerprint, so the next run meets the same drift and the same judgement. Without this the
  // stale entry would be gone and a re-run would "discover" the refused look-alike afresh and pass CLEAN.
  await keepKnown();
  const what = `${JSON.stringify(target.name)}${target.kind ? ` (${target.kind})` : ""}`;
  throw new ResolveFailure(`${discoveryMessage}could not heal ${what}: ${heal.message}`, tried, heal.attempts);
}

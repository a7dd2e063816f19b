// Finds the one element a step means: tries the registry's strategies in order, in every frame of the page (main
// frame first), inside the step's region when it names one, and returns the first accepted candidate with a
// selector that re-resolves from the page, plus a record of what was tried (for the step record, heal events and
// heal history). Polls until the timeout because the element may not be rendered yet.
import type { Page } from "playwright-core";
import type { Fingerprint } from "@/domain/fingerprint";
import { literalTarget, scopedTarget, type Region, type StepAction, type Target } from "@/domain/step";
import { listFrameScopes, throughFrames, type FrameScope } from "./frames";
import { ambiguousRegion, hoverRegion, type RegionScope, resolveRegion, WIDENS, widerRegions } from "./region";
import { DISCOVERY_STRATEGIES, OVERRIDE_STRATEGY } from "./strategies";
import type { Candidate, Scope, Strategy } from "./strategies/types";

export type StrategyTrial = { strategy: string; family?: string; ms: number; count: number; score?: number; selector?: string; reason?: string };

export type DiscoveryResult =
  /** `reading`: the target's scoped reading (`Add to cart` in the item `Hoodie`) when that is what found the
   *  element rather than the target as written; it has a cache key of its own. */
  | { found: true; candidate: Candidate; tried: StrategyTrial[]; reading?: Target }
  /** `missingRegion`: the region that resolved to nothing, when that is why nothing was found. */
  | { found: false; tried: StrategyTrial[]; message: string; missingRegion?: Region };

export type DiscoverOptions = {
  timeoutMs: number;
  /** Pause between passes while nothing is found. */
  pollMs?: number;
  requireVisible?: boolean;
  strategies?: readonly Strategy[];
  hint?: Fingerprint;
  wholeNameOnly?: boolean;
  /** Asked after each pass that found nothing (from the second on): true ends the wait early (the element will
   *  not show by itself, e.g. it sits in a closed menu the heal can open). */
  giveUpWhen?: () => Promise<boolean>;
};

/** `partialOnly`: only the second round of discoverTiers (names that contain the words). */
type OnceOptions = { requireVisible?: boolean; strategies?: readonly Strategy[]; hint?: Fingerprint; wholeNameOnly?: boolean; partialOnly?: boolean };
/** `widen`: search the region's n-th wider box instead of the region (see widerRegions). `regions`: the regions
 * resolved so far in this pass, per frame (the page does not change within a pass). */
type ProbeOptions = OnceOptions & { nameTier?: "whole" | "partial"; widen?: number; regions?: Map<Scope, Map<string, Promise<RegionScope | null>>> };

function describeTarget(target: Target): string {
  if (target.override) return JSON.stringify(target.override);
  return `${JSON.stringify(target.name)}${target.kind ? ` (${target.kind})` : ""}`;
}

function summarise(c: Candidate[]): { count: number; selector?: string; reason?: string } {
  const last = c.at(-1);
  if (!last) return { count: 0, reason: "not applicable" };
  return { count: Math.max(...c.map((x) => x.count)), selector: last.selector, reason: last.reason };
}

const isPage = (s: Scope): s is Page => typeof (s as Page).mainFrame === "function";

/** Frame scopes to search: every frame of a page; a frame or locator is searched as given. */
async function scopesOf(scope: Scope): Promise<FrameScope[] | { frame: Scope; hops: [] }[]> {
  if (isPage(scope)) return listFrameScopes(scope);
  return [{ frame: scope, hops: [] }];
}

/** The step's region in a frame (or its `widen`-th wider box), resolved once per pass when `opts.regions` keeps them. */
function regionIn(frame: Scope, within: Region, opts: ProbeOptions): Promise<RegionScope | null> {
  const resolve = async () => {
    const region = await resolveRegion(frame, within);
    return region && opts.widen ? ((await widerRegions(frame, within, region))[opts.widen - 1] ?? null) : region;
  };
  if (!opts.regions) return resolve();
  const key = `${opts.widen ?? 0}`;
  const perFrame = opts.regions.get(frame) ?? new Map<string, Promise<RegionScope | null>>();
  opts.regions.set(frame, perFrame);
  if (!perFrame.has(key)) perFrame.set(key, resolve());
  return perFrame.get(key)!;
}

/** Runs one strategy in every frame (and region); the first frame with an accepted candidate wins. */
export async function probeStrategy(
  scope: Scope,
  strategy: Strategy,
  target: Target,
  action: StepAction,
  opts: ProbeOptions,
): Promise<{ accepted?: Candidate; candidates: Candidate[]; regionMissing: boolean }> {
  const all: Candidate[] = [];
  let regionMissing = false;
  for (const fs of await scopesOf(scope)) {
    let search: Scope = fs.frame;
    let region: { selector: string; code: string } | null = null;
    if (target.within) {
      region = await regionIn(fs.frame, target.within, opts);
      if (!region) {
        regionMissing = true;
        continue;
      }
      search = fs.frame.locator(region.selector);
    }
    const found = await strategy.find(search, target, action, {
      ordinal: target.ordinal,
      requireVisible: opts.requireVisible ?? true,
      hint: opts.hint,
      wholeNameOnly: opts.wholeNameOnly,
      nameTier: opts.nameTier,
    });
    all.push(...found);
    const hit = found.find((c) => c.accepted);
    if (hit) {
      const inRegion = region ? { selector: `${region.selector} >> ${hit.selector}`, code: `${region.code}.${hit.code}` } : hit;
      const full = throughFrames(fs.hops, inRegion.selector, inRegion.code);
      return { accepted: { ...hit, ...full }, candidates: all, regionMissing: false };
    }
  }
  return { candidates: all, regionMissing };
}

/**
 * One pass over the strategies, no waiting. A target whose name began with an ordinal word ("First name") is
 * first tried as written, since many real labels start with one; only when that finds nothing is the word read
 * as an ordinal.
 */
export async function discoverOnce(scope: Scope, target: Target, action: StepAction, opts: OnceOptions = {}): Promise<DiscoveryResult> {
  const scoped = scopedTarget(target);
  const found = scoped ? await discoverReadings(scope, literalTarget(target), scoped, action, opts) : await discoverAsWritten(scope, target, action, opts);
  return found.found ? found : inNamedSection(scope, target, action, opts, found);
}

/** Field-like actions, whose elements checkout and settings forms repeat per section (billing and shipping). */
const SECTION_PREFIXED: ReadonlySet<StepAction> = new Set<StepAction>(["fill", "type", "clear", "select", "check", "uncheck", "expectValue"]);

/**
 * "the Billing First name field", "the shipping City field": a section's name folded into the element's. Only
 * when no one element carries the whole phrase (the "Billing address" region and a "Use a different billing
 * address" radio are not the Billing Address field): its first word or two name a section (by label, heading or
 * legend, as `in the Billing section` would) and the rest names the element inside it as a whole, both strictly
 * (a section that is not there, or several, finds nothing). Else the first result stands.
 */
async function inNamedSection(scope: Scope, target: Target, action: StepAction, opts: OnceOptions, first: DiscoveryResult & { found: false }): Promise<DiscoveryResult> {
  if (target.within || target.override || target.exact || !SECTION_PREFIXED.has(action)) return first;
  const words = (target.literalName ?? target.name).trim().split(/\s+/);
  for (let k = 1; k <= Math.min(2, words.length - 1); k++) {
    const within: Region = { kind: "section", name: words.slice(0, k).join(" ") };
    const { literalName: _l, literalHasType: _t, ordinal: _o, ...rest } = target;
    const r = await discoverAsWritten(scope, { ...rest, name: words.slice(k).join(" "), within }, action, { ...opts, wholeNameOnly: true });
    if (r.found) return { ...r, tried: [...first.tried, ...r.tried] };
  }
  return first;
}

/**
 * A target with a scoped reading (`Click Add to cart for Hoodie`): first an element any strategy finds by the
 * whole name as written ("Search for jobs" is a real button's name); only when none carries it, the element
 * inside the one repeated item that says the words after "for" (strict: no such item, several, or several such
 * elements in it find nothing); last, a name that merely contains the words as written.
 */
async function discoverReadings(scope: Scope, literal: Target, scoped: Target, action: StepAction, opts: OnceOptions): Promise<DiscoveryResult> {
  const whole = await discoverAsWritten(scope, literal, action, { ...opts, wholeNameOnly: true });
  if (whole.found) return whole;
  const inItem = await discoverAsWritten(scope, scoped, action, opts);
  const tried = [...whole.tried, ...inItem.tried];
  if (inItem.found) return { ...inItem, reading: scoped, tried };
  const missingRegion = inItem.missingRegion;
  const readAsScope = `read as ${inItem.message.replace(/^No unique visible element for /, "")}`;
  if (opts.wholeNameOnly) return { found: false, tried, message: `${whole.message}; nor ${readAsScope}`, missingRegion };
  const partial = await discoverAsWritten(scope, literal, action, { ...opts, partialOnly: true });
  if (partial.found) return { ...partial, tried: [...tried, ...partial.tried] };
  return { found: false, tried: [...tried, ...partial.tried], message: `${whole.message}; nor ${readAsScope}`, missingRegion };
}

/**
 * The target as written. A name that begins with an ordinal word is a name first ("First name", "Last page"): the
 * word is read as an ordinal ("the first Delete button") only when nothing on the page carries the whole phrase,
 * not even several elements (two "First name" fields are ambiguous, not "the first field named name"). Read so,
 * a one-word name must then be a whole name: "First name" is never "the first field whose label holds name"
 * (Company name), while "the first Read more link" may still be "Read more about pricing". The same goes for a
 * type word at the end of a phrase with no article: "Click Open menu" is the "Open menu" button when one exists,
 * and only otherwise a menu called "Open".
 */
async function discoverAsWritten(scope: Scope, target: Target, action: StepAction, opts: OnceOptions): Promise<DiscoveryResult> {
  if (target.literalName && !target.override) {
    const { literalName, literalHasType, ordinal: _ordinal, ...rest } = target;
    const literal = await discoverPass(scope, { ...rest, name: literalName, ...(literalHasType ? { kind: undefined } : {}) }, action, opts);
    if (literal.found || literal.tried.some((t) => t.count > 0)) return literal;
    const oneWordOrdinal = !literalHasType && !/\s/.test(target.name.trim());
    const ordinal = await discoverPass(scope, target, action, oneWordOrdinal ? { ...opts, wholeNameOnly: true, partialOnly: false } : opts);
    return { ...ordinal, tried: [...literal.tried, ...ordinal.tried] };
  }
  return discoverPass(scope, target, action, opts);
}

/**
 * The strategies over the step's region; when a section or region holds no such element, over the boxes around
 * it (widerRegions), innermost first.
 */
async function discoverPass(scope: Scope, target: Target, action: StepAction, opts: OnceOptions): Promise<DiscoveryResult> {
  const inRegion = await discoverTiers(scope, target, action, opts);
  if (inRegion.found || inRegion.regionMissing || !target.within || !WIDENS.has(target.within.kind)) return inRegion;
  // Nothing in the section: its title may name a wider box than the one it sits in (a card's header block).
  const tried = [...inRegion.tried];
  for (let widen = 1; widen <= MAX_WIDEN; widen++) {
    const r = await discoverTiers(scope, target, action, { ...opts, widen });
    tried.push(...r.tried);
    if (r.found) return { ...r, tried };
    if (r.regionMissing) break; // no box that wide
  }
  return { found: false, tried, message: inRegion.message };
}

const MAX_WIDEN = 4;

/**
 * Two rounds over the strategies: first every strategy with names that match as a whole, then the strategies
 * that also match names partly, with "contains" only. An element that any strategy finds by its whole name wins
 * over one whose name merely contains the step's words, whatever their strategies' order: "Click Save" is the
 * Save button, not the checkbox labelled "Save this card", and "Click the Cart button" is not "Add to cart".
 */
async function discoverTiers(scope: Scope, target: Target, action: StepAction, opts: OnceOptions & { widen?: number }): Promise<DiscoveryResult & { regionMissing?: boolean }> {
  const strategies = target.override ? [OVERRIDE_STRATEGY] : (opts.strategies ?? DISCOVERY_STRATEGIES);
  const tiers = target.override || opts.wholeNameOnly ? [undefined] : opts.partialOnly ? (["partial"] as const) : (["whole", "partial"] as const);
  const tried: StrategyTrial[] = [];
  let regionMissing = false;
  const regions = new Map<Scope, Map<string, Promise<RegionScope | null>>>();
  for (const nameTier of tiers) {
    for (const strategy of strategies) {
      if (nameTier === "partial" && !strategy.partialNames) continue;
      const started = performance.now();
      const r = await probeStrategy(scope, strategy, target, action, { ...opts, nameTier, regions });
      const ms = Math.round(performance.now() - started);
      regionMissing ||= r.regionMissing;
      if (r.accepted) {
        const c = r.accepted;
        tried.push({ strategy: strategy.name, family: strategy.family, ms, count: c.count, score: c.score, selector: c.selector });
        return { found: true, candidate: c, tried };
      }
      tried.push({ strategy: strategy.name, family: strategy.family, ms, ...summarise(r.candidates) });
    }
  }
  const ambiguous = [...new Map(tried.filter((t) => t.count > 1).map((t) => [t.strategy, t])).values()];
  const detail = ambiguous.length ? `; ambiguous: ${ambiguous.map((t) => `${t.strategy} matched ${t.count}`).join(", ")}` : "";
  const regionName = target.within?.name.trim() ? ` ${JSON.stringify(target.within.name)}` : "";
  const where = target.within ? ` within ${target.within.kind}${regionName}${regionMissing ? " (region not found)" : ""}` : "";
  return {
    found: false,
    tried,
    regionMissing,
    ...(regionMissing && target.within ? { missingRegion: target.within } : {}),
    message: `No unique visible element for ${describeTarget(target)}${where} (tried ${[...new Set(tried.map((t) => t.strategy))].join(", ")}${detail})`,
  };
}

/** Polls discoverOnce until an element is found or the timeout passes. */
export async function discoverElement(scope: Scope, target: Target, action: StepAction, opts: DiscoverOptions): Promise<DiscoveryResult> {
  const deadline = Date.now() + opts.timeoutMs;
  const pollMs = opts.pollMs ?? 150;
  let misses = 0;
  let hovers = 0;
  for (;;) {
    const result = await discoverOnce(scope, target, action, opts);
    // Nothing in the step's row yet: its actions may only show while the row is hovered (once).
    if (!result.found && hovers < 2 && isPage(scope) && (await hoverRegion(scope, target.within ?? target.scoped?.within))) hovers++;
    if (result.found || Date.now() + pollMs > deadline) {
      if (!result.found) {
        result.message += ` after ${opts.timeoutMs} ms`;
        // A region of several look-alikes (two headings hold the section's name) says so, once, at the end.
        const why = result.missingRegion && (await ambiguousRegion(isPage(scope) ? scope.mainFrame() : scope, result.missingRegion));
        if (why) result.message += ` (${why})`;
      }
      return result;
    }
    if (opts.giveUpWhen && ++misses >= 2 && (await opts.giveUpWhen())) return result;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

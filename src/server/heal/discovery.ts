// Finds the one element a step means: tries the registry's strategies in order and returns the first accepted
// candidate, plus a record of what was tried (for the step record and, later, heal history). Polls until the
// timeout because the element may not be rendered yet right after a navigation or a click.
import type { Region, StepAction, Target } from "@/domain/step";
import { DISCOVERY_STRATEGIES, OVERRIDE_STRATEGY } from "./strategies";
import { roleForm } from "./strategies/selector-syntax";
import type { Candidate, Scope, Strategy } from "./strategies/types";

export type StrategyTrial = { strategy: string; ms: number; count: number; selector?: string; reason?: string };

export type DiscoveryResult =
  | { found: true; candidate: Candidate; tried: StrategyTrial[] }
  | { found: false; tried: StrategyTrial[]; message: string };

export type DiscoverOptions = {
  timeoutMs: number;
  /** Pause between passes while nothing is found. */
  pollMs?: number;
  requireVisible?: boolean;
  strategies?: readonly Strategy[];
};

const REGION_ROLES: Record<Region["kind"], string | undefined> = {
  dialog: "dialog",
  form: "form",
  region: "region",
  section: "region",
  row: "row",
  frame: undefined,
};

/** Scopes the search to `within` (… in the Login dialog). Frames come with the heal engine. */
function regionPrefix(within: Region | undefined): { selector: string; code: string } | undefined {
  if (!within) return undefined;
  const role = REGION_ROLES[within.kind];
  if (!role) return undefined;
  return roleForm(role, within.name, "exact-ci");
}

function describeTarget(target: Target): string {
  if (target.override) return JSON.stringify(target.override);
  return `${JSON.stringify(target.name)}${target.kind ? ` (${target.kind})` : ""}`;
}

function summarise(c: Candidate[]): { count: number; selector?: string; reason?: string } {
  const last = c.at(-1);
  if (!last) return { count: 0, reason: "not applicable" };
  return { count: Math.max(...c.map((x) => x.count)), selector: last.selector, reason: last.reason };
}

/** One pass over the strategies, no waiting. */
export async function discoverOnce(
  scope: Scope,
  target: Target,
  action: StepAction,
  opts: { requireVisible?: boolean; strategies?: readonly Strategy[] } = {},
): Promise<DiscoveryResult> {
  const strategies = target.override ? [OVERRIDE_STRATEGY] : (opts.strategies ?? DISCOVERY_STRATEGIES);
  const prefix = regionPrefix(target.within);
  const searchScope = prefix ? scope.locator(prefix.selector) : scope;
  const tried: StrategyTrial[] = [];
  for (const strategy of strategies) {
    const started = performance.now();
    const candidates = await strategy.find(searchScope, target, action, {
      ordinal: target.ordinal,
      requireVisible: opts.requireVisible ?? true,
    });
    const ms = Math.round(performance.now() - started);
    const accepted = candidates.find((c) => c.accepted);
    if (accepted) {
      tried.push({ strategy: strategy.name, ms, count: accepted.count, selector: accepted.selector });
      const candidate = prefix
        ? { ...accepted, selector: `${prefix.selector} >> ${accepted.selector}`, code: `${prefix.code}.${accepted.code}` }
        : accepted;
      return { found: true, candidate, tried };
    }
    tried.push({ strategy: strategy.name, ms, ...summarise(candidates) });
  }
  const ambiguous = tried.filter((t) => t.count > 1);
  const detail = ambiguous.length
    ? `; ambiguous: ${ambiguous.map((t) => `${t.strategy} matched ${t.count}`).join(", ")}`
    : "";
  const where = prefix ? ` within ${target.within?.kind} ${JSON.stringify(target.within?.name)}` : "";
  return {
    found: false,
    tried,
    message: `No unique visible element for ${describeTarget(target)}${where} (tried ${tried.map((t) => t.strategy).join(", ")}${detail})`,
  };
}

/** Polls discoverOnce until an element is found or the timeout passes. */
export async function discoverElement(
  scope: Scope,
  target: Target,
  action: StepAction,
  opts: DiscoverOptions,
): Promise<DiscoveryResult> {
  const deadline = Date.now() + opts.timeoutMs;
  const pollMs = opts.pollMs ?? 150;
  for (;;) {
    const result = await discoverOnce(scope, target, action, opts);
    if (result.found || Date.now() + pollMs > deadline) {
      if (!result.found) result.message += ` after ${opts.timeoutMs} ms`;
      return result;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

// The strategy contract (modelled on Playwright's SelectorEngine registry): a strategy turns a step target into
// candidate selectors and probes them on the page. The heal engine adds strategies to the registry.
import type { Frame, Locator, Page } from "playwright-core";
import type { Fingerprint } from "@/domain/fingerprint";
import type { StepAction, Target } from "@/domain/step";
import type { MatchMode } from "./selector-syntax";

export type Scope = Page | Frame | Locator;

/** Strategies of one family derive from the same evidence, so two of them agreeing is not independent proof. */
export type StrategyFamily = "accessible-name" | "stable-attribute" | "text" | "structure" | "explicit";

/** Families whose agreement counts as independent evidence when a heal is verified ("similarity" is the scorer). */
export type EvidenceFamily = StrategyFamily | "similarity";

export type Candidate = {
  strategy: string;
  family: StrategyFamily;
  /** A Playwright selector string that re-resolves with page.locator() (e.g. `internal:label="Username"s`). */
  selector: string;
  /** The same locator as @playwright/test code after `page.` (e.g. `getByLabel("Username", { exact: true })`). */
  code: string;
  /** Confidence 0..1, higher is better. */
  score: number;
  /** How many elements the selector matched (before ordinal). */
  count: number;
  accepted: boolean;
  /** False for selectors built on generated ids, hashed classes or positions: never cached. */
  stable: boolean;
  /** Why a probed form was rejected. */
  reason?: string;
  /** How the step's own name matched, for forms built from it (label, aria-label, placeholder, role name, text,
   *  title/alt); absent for forms built from anything else (a stored attribute value, a position). */
  nameMatch?: MatchMode;
};

export type FindOptions = {
  ordinal?: number;
  /** False only for checks that must also see hidden elements (Expect X to be hidden). */
  requireVisible: boolean;
  /** The element's stored fingerprint (from the cache) when healing: attribute strategies re-probe its values. */
  hint?: Fingerprint;
  /** Healing: names must match as a whole (no "contains"): "Password hint" is not the Password field. */
  wholeNameOnly?: boolean;
  /**
   * Discovery's two rounds: "whole" tries only names that match as a whole, "partial" only "contains" (see
   * discovery.ts: an element named exactly by any strategy beats one whose name merely contains the words).
   */
  nameTier?: "whole" | "partial";
};

export type Strategy = {
  name: string;
  family: StrategyFamily;
  /** Matches the step's name in several modes, "contains" among them (discovery's second round re-runs it). */
  partialNames?: boolean;
  find(scope: Scope, target: Target, action: StepAction, opts?: FindOptions): Promise<Candidate[]>;
};

/** One selector form a strategy wants probed, best first. */
export type SelectorForm = { selector: string; code: string; score: number; stable?: boolean; nameMatch?: MatchMode };

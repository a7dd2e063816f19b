// Ordered strategy registry, each with a family (types.ts). Discovery tries them in this order; healing re-orders
// them by the element's heal history. Accessible-name strategies come first (what a step names is what a user
// reads), then stable attributes, then text and neighbours, then a control's purpose read from its class or icon
// (purpose.ts), then structure (which needs the stored fingerprint).
import { ariaLabelStrategy } from "./aria-label";
import { labelStrategy } from "./label";
import { nameAttrStrategy } from "./name-attr";
import { nearbyLabelStrategy } from "./nearby-label";
import { overrideStrategy } from "./override";
import { placeholderStrategy } from "./placeholder";
import { purposeStrategy } from "./purpose";
import { roleNameStrategy } from "./role-name";
import { stableClassStrategy } from "./stable-class";
import { stableIdStrategy } from "./stable-id";
import { testIdStrategy } from "./test-id";
import { textStrategy } from "./text";
import { titleAltStrategy } from "./title-alt";
import type { Strategy } from "./types";
import { wordsStrategy } from "./words";

/** Used for first discovery (no stored fingerprint needed). */
export const DISCOVERY_STRATEGIES: readonly Strategy[] = [
  labelStrategy, roleNameStrategy, placeholderStrategy, ariaLabelStrategy, testIdStrategy, textStrategy,
  titleAltStrategy, nameAttrStrategy, stableIdStrategy, nearbyLabelStrategy, wordsStrategy, purposeStrategy,
];

/** The discovery strategies that read the step's words as an accessible name (label, role + name, placeholder,
 * aria-label). */
export const NAME_STRATEGIES: readonly Strategy[] = DISCOVERY_STRATEGIES.filter((s) => s.family === "accessible-name");
/** The strategies that find an element by the step's own words, hidden ones too (ARIA roles skip hidden elements;
 * labels, attributes and text do not). */
export const WORD_STRATEGIES: readonly Strategy[] = [...NAME_STRATEGIES, textStrategy];

/** Every strategy, including those that only work from a stored fingerprint (heal re-probe). */
export const ALL_STRATEGIES: readonly Strategy[] = [...DISCOVERY_STRATEGIES, stableClassStrategy];

/** Used alone when the step carries an explicit override. */
export const OVERRIDE_STRATEGY: Strategy = overrideStrategy;

export function getStrategy(name: string): Strategy | undefined {
  return [...ALL_STRATEGIES, OVERRIDE_STRATEGY].find((s) => s.name === name);
}

export type { Candidate, EvidenceFamily, FindOptions, Scope, Strategy, StrategyFamily } from "./types";

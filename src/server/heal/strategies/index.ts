// Ordered strategy registry (Playwright's ranking: role+name before placeholder before label before text; label
// goes first here because a field's label is what a step names and is cheaper than probing several roles).
// The heal engine adds strategies (test-id, name attribute, title/alt, neighbours, …) by extending this list.
import { labelStrategy } from "./label";
import { overrideStrategy } from "./override";
import { placeholderStrategy } from "./placeholder";
import { roleNameStrategy } from "./role-name";
import { textStrategy } from "./text";
import type { Strategy } from "./types";

export const DISCOVERY_STRATEGIES: readonly Strategy[] = [labelStrategy, roleNameStrategy, placeholderStrategy, textStrategy];

/** Used alone when the step carries an explicit override. */
export const OVERRIDE_STRATEGY: Strategy = overrideStrategy;

export function getStrategy(name: string): Strategy | undefined {
  return [...DISCOVERY_STRATEGIES, OVERRIDE_STRATEGY].find((s) => s.name === name);
}

export type { Candidate, FindOptions, Scope, Strategy, StrategyFamily } from "./types";

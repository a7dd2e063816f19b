// <label for>, wrapping <label>, aria-labelledby and aria-label: Playwright's label engine covers all of them.
import { MATCH_MODES, probeForms } from "./probe";
import { labelForm } from "./selector-syntax";
import type { Strategy } from "./types";

const BASE_SCORE = 0.9;

export const labelStrategy: Strategy = {
  name: "label",
  family: "accessible-name",
  async find(scope, target, action, opts) {
    if (!target.name.trim()) return [];
    const forms = MATCH_MODES.map(({ mode, penalty }) => ({ ...labelForm(target.name, mode), score: BASE_SCORE - penalty }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

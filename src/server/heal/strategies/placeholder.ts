// placeholder attribute: what a user reads in an empty field when there is no visible label.
import { MATCH_MODES, probeForms } from "./probe";
import { placeholderForm } from "./selector-syntax";
import type { Strategy } from "./types";

const BASE_SCORE = 0.85;

export const placeholderStrategy: Strategy = {
  name: "placeholder",
  family: "accessible-name",
  async find(scope, target, action, opts) {
    if (!target.name.trim()) return [];
    const forms = MATCH_MODES.map(({ mode, penalty }) => ({ ...placeholderForm(target.name, mode), score: BASE_SCORE - penalty }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

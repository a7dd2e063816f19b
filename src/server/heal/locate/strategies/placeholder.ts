// placeholder (and aria-placeholder) attribute: what a user reads in an empty field when there is no visible label.
import { matchModes, probeForms } from "./probe";
import { attrForm, placeholderForm } from "./selector-syntax";
import type { Strategy } from "./types";
import { FIELD_KINDS } from "./label";

const BASE_SCORE = 0.85;

export const placeholderStrategy: Strategy = {
  name: "placeholder",
  family: "accessible-name",
  partialNames: true,
  async find(scope, target, action, opts) {
    if (!target.name.trim() || (target.kind && !FIELD_KINDS.has(target.kind))) return [];
    const forms = matchModes(opts).flatMap(({ mode, penalty }) => [
      { ...placeholderForm(target.name, mode), score: BASE_SCORE - penalty, nameMatch: mode },
      { ...attrForm("aria-placeholder", target.name, mode), score: BASE_SCORE - penalty - 0.01, nameMatch: mode },
    ]);
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

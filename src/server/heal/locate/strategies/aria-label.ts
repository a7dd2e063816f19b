// The raw aria-label attribute (also aria-placeholder-free icon buttons): the accessible name an author set
// explicitly. getByLabel already sees aria-label on inputs; this also covers any element that carries one.
import { nameForms, probeForms } from "./probe";
import { attrForm } from "./selector-syntax";
import type { Strategy } from "./types";

const BASE_SCORE = 0.9;

export const ariaLabelStrategy: Strategy = {
  name: "aria-label",
  family: "accessible-name",
  partialNames: true,
  async find(scope, target, action, opts) {
    if (!target.name.trim()) return [];
    const forms = nameForms(target, opts).map(({ name, mode, penalty }) => ({ ...attrForm("aria-label", name, mode), score: BASE_SCORE - penalty, nameMatch: mode }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

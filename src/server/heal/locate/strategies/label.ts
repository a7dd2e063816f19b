// <label for>, wrapping <label>, aria-labelledby and aria-label: Playwright's label engine covers all of them.
import { nameForms, probeForms } from "./probe";
import { labelForm } from "./selector-syntax";
import type { Strategy } from "./types";

/** A label/placeholder names a form control; "the Search button" is never the field labelled Search. */
export const FIELD_KINDS: ReadonlySet<string> = new Set(["field", "checkbox", "radio", "dropdown", "switch"]);

const BASE_SCORE = 0.9;

export const labelStrategy: Strategy = {
  name: "label",
  family: "accessible-name",
  partialNames: true,
  async find(scope, target, action, opts) {
    if (!target.name.trim() || (target.kind && !FIELD_KINDS.has(target.kind))) return [];
    const forms = nameForms(target, opts).map(({ name, mode, penalty }) => ({ ...labelForm(name, mode), score: BASE_SCORE - penalty, nameMatch: mode }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

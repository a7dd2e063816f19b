// title and alt attributes: tooltips on icon buttons and the text of image links/buttons.
import { matchModes, probeForms } from "./probe";
import { attrForm } from "./selector-syntax";
import type { SelectorForm, Strategy } from "./types";

const BASE_SCORE = 0.75;

export const titleAltStrategy: Strategy = {
  name: "title-alt",
  family: "text",
  partialNames: true,
  async find(scope, target, action, opts) {
    if (!target.name.trim()) return [];
    const forms: SelectorForm[] = [];
    for (const { mode, penalty } of matchModes(opts)) {
      for (const attr of ["title", "alt"]) forms.push({ ...attrForm(attr, target.name, mode), score: BASE_SCORE - penalty, nameMatch: mode });
    }
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

// title and alt attributes: tooltips on icon buttons and the text of image links/buttons. Tooltip libraries
// keep the tooltip text in data attributes instead of title (Gmail and Google apps' data-tooltip, Bootstrap's
// data-bs-title / data-original-title, tippy's data-tippy-content): those name icon-only controls too.
import { matchModes, probeForms } from "./probe";
import { attrForm } from "./selector-syntax";
import type { SelectorForm, Strategy } from "./types";

const BASE_SCORE = 0.75;
const TOOLTIP_ATTRS = ["title", "alt", "data-tooltip", "data-bs-title", "data-original-title", "data-tippy-content"] as const;

export const titleAltStrategy: Strategy = {
  name: "title-alt",
  family: "text",
  partialNames: true,
  async find(scope, target, action, opts) {
    if (!target.name.trim()) return [];
    const forms: SelectorForm[] = [];
    for (const { mode, penalty } of matchModes(opts)) {
      for (const attr of TOOLTIP_ATTRS) forms.push({ ...attrForm(attr, target.name, mode), score: BASE_SCORE - penalty, nameMatch: mode });
    }
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

// Visible text: the last resort for clicks and checks on elements without a role (a styled <div>).
import { matchModes, probeForms } from "./probe";
import { textForm } from "./selector-syntax";
import type { Strategy } from "./types";

const BASE_SCORE = 0.7;

export const textStrategy: Strategy = {
  name: "text",
  family: "text",
  async find(scope, target, action, opts) {
    // Text never identifies an input to type into; a label or placeholder does.
    if (!target.name.trim() || action === "fill" || action === "type" || action === "clear") return [];
    const forms = matchModes(opts).map(({ mode, penalty }) => ({ ...textForm(target.name, mode), score: BASE_SCORE - penalty, nameMatch: mode }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

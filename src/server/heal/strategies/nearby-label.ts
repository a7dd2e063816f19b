// Nearby label text: the form control that follows a visible text naming it, for forms whose "label" is a plain
// <span>/<div> not wired up with for=/aria-labelledby. Whole-text modes only: "contains" would let any sentence
// mentioning the name pick the next field.
import type { StepAction } from "@/domain/step";
import { MATCH_MODES, probeForms } from "./probe";
import { textValue } from "./selector-syntax";
import type { SelectorForm, Strategy } from "./types";

const BASE_SCORE = 0.7;
const FIELD_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>(["fill", "type", "clear", "select", "check", "uncheck", "expectValue"]);
const CONTROL =
  'xpath=following::*[self::input[not(@type="hidden")] or self::textarea or self::select or @role="textbox" or @role="combobox" or @role="checkbox" or @role="switch"][1]';

export const nearbyLabelStrategy: Strategy = {
  name: "nearby-label",
  family: "text",
  async find(scope, target, action, opts) {
    if (!target.name.trim() || !FIELD_ACTIONS.has(action)) return [];
    const forms: SelectorForm[] = MATCH_MODES.filter((m) => m.mode !== "contains").map(({ mode, penalty }) => {
      const text = `internal:text=${textValue(target.name, mode)}`;
      return { selector: `${text} >> ${CONTROL}`, code: `locator(${JSON.stringify(`${text} >> ${CONTROL}`)})`, score: BASE_SCORE - penalty };
    });
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

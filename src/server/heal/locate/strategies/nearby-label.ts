// Nearby label text: the form control a visible text names when the page did not wire it up with for= or
// aria-labelledby (a <span>/<div> "label", a floating label placed after its input, a settings row with a switch).
// First the one control inside the text's own container, before or after it; else the control that comes next,
// provided nothing else with text stands between them. Whole-text modes only: "contains" would let any sentence
// mentioning the name pick a field.
import type { StepAction } from "@/domain/step";
import { FIELD_KINDS } from "./label";
import { MATCH_MODES, probeForms } from "./probe";
import { textValue } from "./selector-syntax";
import type { SelectorForm, Strategy } from "./types";

const BASE_SCORE = 0.7;
const FIELD_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>(["fill", "type", "clear", "select", "check", "uncheck", "expectValue"]);
const IS_CONTROL =
  'self::input[not(@type="hidden")] or self::textarea or self::select or @contenteditable="true" or @contenteditable="" or ' +
  '@role="textbox" or @role="searchbox" or @role="combobox" or @role="checkbox" or @role="radio" or @role="switch" or @role="spinbutton" or @role="slider" or ' +
  // A custom select without ARIA (Semantic UI's dropdown): a focusable box that carries the value in a hidden input.
  '(@tabindex and .//input[@type="hidden"][@name])';
/** The only control in the text's own container (a field wrapper, a settings row). */
const IN_CONTAINER = `xpath=parent::*/descendant::*[${IS_CONTROL}]`;
/** The next control, when the first thing after the text that is either text or a control is that control: a
 * field further on, past another field's label, is not named by this text (a required-field "*" does not count). */
const NEXT = `xpath=following::node()[self::text()[normalize-space(translate(., "*:", ""))] or self::*[${IS_CONTROL}]][1][self::*]`;

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/**
 * A bare text node that names the control after it inside one mixed-content element (Django admin's
 * `<p>Date: <input> <br>Time: <input></p>`): no element's whole text is the name there. Whole name, any case, a
 * trailing ":" or "*" ignored; null when the name cannot be written as an XPath literal.
 */
function textNodeForm(name: string): string | null {
  const want = name.trim().replace(/\s+/g, " ").toLowerCase();
  if (want.includes('"')) return null;
  const text = `normalize-space(translate(translate(., "*:", ""), "${UPPER}", "${UPPER.toLowerCase()}"))`;
  return `xpath=//text()[${text}="${want}"][../*[${IS_CONTROL}]]/following::node()[self::text()[normalize-space(translate(., "*:", ""))] or self::*[${IS_CONTROL}]][1][self::*]`;
}

export const nearbyLabelStrategy: Strategy = {
  name: "nearby-label",
  family: "text",
  async find(scope, target, action, opts) {
    if (!target.name.trim() || !(FIELD_ACTIONS.has(action) || (target.kind && FIELD_KINDS.has(target.kind)))) return [];
    const forms: SelectorForm[] = MATCH_MODES.filter((m) => m.mode !== "contains").flatMap(({ mode, penalty }) => {
      const text = `internal:text=${textValue(target.name, mode)}`;
      return [IN_CONTAINER, NEXT].map((control) => ({ selector: `${text} >> ${control}`, code: `locator(${JSON.stringify(`${text} >> ${control}`)})`, score: BASE_SCORE - penalty }));
    });
    const bare = textNodeForm(target.name);
    if (bare) forms.push({ selector: bare, code: `locator(${JSON.stringify(bare)})`, score: BASE_SCORE - 0.1 });
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

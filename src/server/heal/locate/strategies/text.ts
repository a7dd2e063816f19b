// Visible text: the last resort for clicks and checks on elements without a role (a styled <div>).
import type { StepAction } from "@/domain/step";
import { FIELD_KINDS } from "./label";
import { matchModes, probeForms } from "./probe";
import { textForm } from "./selector-syntax";
import type { Strategy } from "./types";

const BASE_SCORE = 0.7;
const TEXT_NEVER_FOR: ReadonlySet<StepAction> = new Set<StepAction>(["fill", "type", "clear", "check", "uncheck"]);

export const textStrategy: Strategy = {
  name: "text",
  family: "text",
  partialNames: true,
  async find(scope, target, action, opts) {
    // Text never identifies an input to type into, nor a control the step calls a field, checkbox, switch or
    // dropdown (the text is that control's label; the label and nearby-label strategies find the control).
    if (!target.name.trim() || TEXT_NEVER_FOR.has(action) || (target.kind && FIELD_KINDS.has(target.kind))) return [];
    const forms = matchModes(opts).map(({ mode, penalty }) => ({ ...textForm(target.name, mode), score: BASE_SCORE - penalty, nameMatch: mode }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

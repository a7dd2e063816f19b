// The name attribute of form controls: part of the form's contract with the server, so it tends to survive
// redesigns. Generated names (f_8c1d, field_1024) are volatile and never used.
import { attrValues, hintOf, matchingValues } from "./attr-values";
import { probeForms } from "./probe";
import { attrCssForm } from "./selector-syntax";
import type { Strategy } from "./types";

export const nameAttrStrategy: Strategy = {
  name: "name-attr",
  family: "stable-attribute",
  async find(scope, target, action, opts) {
    const values = await attrValues(scope, "name");
    const forms = matchingValues(values, target.name, [hintOf(opts?.hint, "name")]).map((v) => ({ ...attrCssForm("name", v), score: 0.8 }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

// A stable id attribute (written by a person: "login-button", not "_r_5c" or "input-339").
import { attrValues, hintOf, matchingValues } from "./attr-values";
import { probeForms } from "./probe";
import { attrCssForm } from "./selector-syntax";
import type { Strategy } from "./types";

export const stableIdStrategy: Strategy = {
  name: "stable-id",
  family: "stable-attribute",
  async find(scope, target, action, opts) {
    const values = await attrValues(scope, "id");
    const forms = matchingValues(values, target.name, [hintOf(opts?.hint, "id")]).map((v) => ({ ...attrCssForm("id", v), score: 0.8 }));
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

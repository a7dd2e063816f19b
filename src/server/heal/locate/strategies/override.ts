// An explicit locator the user wrote (`css:…`, `role:button=Save`, `testid:…`): used as given, never guessed.
import type { Override } from "@/domain/step";
import { probeForms } from "./probe";
import { cssForm, roleForm, testIdForm } from "./selector-syntax";
import type { Strategy } from "./types";

function overrideForm(o: Override) {
  switch (o.type) {
    case "css":
      return cssForm(o.selector);
    case "role":
      return roleForm(o.role, o.name, "exact");
    case "testid":
      return testIdForm(o.testId);
    default:
      return o satisfies never;
  }
}

export const overrideStrategy: Strategy = {
  name: "override",
  family: "explicit",
  async find(scope, target, action, opts) {
    if (!target.override) return [];
    return probeForms(scope, [{ ...overrideForm(target.override), score: 1 }], { strategy: this.name, family: this.family, action }, opts);
  },
};

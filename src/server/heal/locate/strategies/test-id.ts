// Test-id attributes (data-testid / data-test / data-qa / data-cy): written for tests, so the most stable hook
// a page offers. A value qualifies when it spells the step's name or is the value the stored fingerprint had.
import { attrValues, hintOf, matchingValues } from "./attr-values";
import { probeForms } from "./probe";
import { testIdAttrForm } from "./selector-syntax";
import type { SelectorForm, Strategy } from "./types";

export const TEST_ID_ATTRIBUTES = ["data-testid", "data-test", "data-qa", "data-cy"] as const;

export const testIdStrategy: Strategy = {
  name: "test-id",
  family: "stable-attribute",
  async find(scope, target, action, opts) {
    const forms: SelectorForm[] = [];
    for (const attr of TEST_ID_ATTRIBUTES) {
      const values = await attrValues(scope, attr);
      for (const v of matchingValues(values, target.name, [hintOf(opts?.hint, "testId")])) {
        forms.push({ ...testIdAttrForm(attr, v), score: 0.97 });
      }
    }
    return probeForms(scope, forms, { strategy: this.name, family: this.family, action }, opts);
  },
};

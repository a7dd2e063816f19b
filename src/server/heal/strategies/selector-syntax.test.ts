import { describe, expect, it } from "vitest";
import { attrValue, labelForm, roleForm, testIdForm, textValue } from "./selector-syntax";

describe("selector syntax", () => {
  it("matches Playwright's own getBy* selector strings", () => {
    expect(labelForm("Username", "exact").selector).toBe('internal:label="Username"s');
    expect(labelForm("Username", "contains").selector).toBe('internal:label="Username"i');
    expect(roleForm("button", "Log in", "exact").selector).toBe('internal:role=button[name="Log in"s]');
    expect(testIdForm("go").selector).toBe('internal:testid=[data-testid="go"s]');
  });

  it.each([
    ['say "hi"', "exact", '"say \\"hi\\""s'],
    ["a\\b", "contains", '"a\\\\b"i'],
  ] as const)("escapes attribute value %s", (v, mode, want) => {
    expect(attrValue(v, mode)).toBe(want);
  });

  it("builds a case-insensitive whole-string regex with quotes and >> escaped", () => {
    expect(textValue('Log "in" >> now.', "exact-ci")).toBe('/^\\s*Log \\"in\\" \\>\\> now\\.\\s*$/i');
  });

  it("normalized names are whole names: spacing, case, a trailing marker or parenthetical, nothing else", () => {
    const re = (name: string) => {
      const v = textValue(name, "normalized");
      return new RegExp(v.slice(1, v.lastIndexOf("/")), "i");
    };
    for (const ok of ["Express", "express", "Express (1 day)", "Express *", "Ex-press:", "Express (optional) *"]) expect(re("Express").test(ok), ok).toBe(true);
    for (const no of ["Express delivery", "Express (1 day) only", "Unexpress", "Express (a (b))"]) expect(re("Express").test(no), no).toBe(false);
    expect(re("Password").test("Password hint")).toBe(false);
  });
});

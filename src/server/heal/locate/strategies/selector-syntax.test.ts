import { describe, expect, it } from "vitest";
import { attrValue, labelForm, roleForm, testIdForm, textValue } from "./selector-syntax";

describe("selector syntax", () => {
  it("matches Playwright's own getBy* selector strings", () => {
    expect(labelForm("Username", "exact").selector).toBe('internal:label="Username"s');
    expect(labelForm("Username", "exact-ci").selector).toBe('internal:label=/^\\s*Username\\s*$/i');
    expect(roleForm("button", "Log in", "exact").selector).toBe('internal:role=button[name="Log in"s]');
    expect(testIdForm("go").selector).toBe('internal:testid=[data-testid="go"s]');
  });

  it.each([
    ['say "hi"', "exact", '"say \\"hi\\""s'],
    ["a\\b", "exact", '"a\\\\b"s'],
  ] as const)("escapes attribute value %s", (v, mode, want) => {
    expect(attrValue(v, mode)).toBe(want);
  });

  it("contains means the words as whole words, anywhere in the name", () => {
    const re = (name: string) => {
      const v = textValue(name, "contains");
      return new RegExp(v.slice(1, v.lastIndexOf("/")), "i");
    };
    for (const ok of ["Username or email address", "Your username", "Add to cart", "Log in (username)", "Über username"]) {
      expect(re(ok.includes("cart") ? "cart" : "Username").test(ok), ok).toBe(true);
    }
    for (const no of ["Unsubscribe", "Subscribers", "Résubscribe"]) expect(re("Subscribe").test(no), no).toBe(false);
    expect(re("Search products").test("Search   products here")).toBe(true);
    expect(re("bobby@").test("bobby@example.com")).toBe(true); // no boundary asked after a non-word character
    expect(re("@example").test("bobby@example.com")).toBe(true);
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
    // A question or exclamation mark after the name is punctuation, not a word ("Remember me?").
    for (const ok of ["Remember me?", "Remember me ?", "Remember me!"]) expect(re("Remember me").test(ok), ok).toBe(true);
    expect(re("Remember me").test("Remember me? Always")).toBe(false);
  });

  it("normalized names may carry an icon or a count badge, not other words or digits of their own", () => {
    const re = (name: string) => {
      const v = textValue(name, "normalized");
      return new RegExp(v.slice(1, v.lastIndexOf("/")), "i");
    };
    for (const ok of ["💾 Save", "Save ✓", "→ Save", "Notifications 3", "Notifications 12", "⚙️ Settings (beta) 2"]) {
      expect(re(ok.includes("Settings") ? "Settings" : ok.includes("Save") ? "Save" : "Notifications").test(ok), ok).toBe(true);
    }
    for (const no of ["Save draft", "💾 Save draft", "Unsave", "Notifications off", "3 Notifications x"]) {
      expect(re(no.includes("Save") ? "Save" : "Notifications").test(no), no).toBe(false);
    }
    expect(re("Room 10").test("Room 10 1")).toBe(false);
    expect(re("Room 10").test("Room 101")).toBe(false);
    expect(re("Room 10").test("Room 10")).toBe(true);
    // A section number before the name (tables of contents), not before a name that starts with a digit.
    for (const ok of ["2 Career and research", "3.1 Career and research", "4. Career and research"]) expect(re("Career and research").test(ok), ok).toBe(true);
    expect(re("Career and research").test("2 Career and research papers")).toBe(false);
    expect(re("10 Downing Street").test("1 10 Downing Street")).toBe(false);
  });
});

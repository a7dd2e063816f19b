import { describe, expect, it } from "vitest";
import { describeFingerprint } from "./fingerprint";

describe("describeFingerprint", () => {
  it("names an element by role (else tag) and its best human-visible name", () => {
    expect(describeFingerprint({ tag: "button", role: "button", label: "Proceed to checkout", text: "Proceed to checkout" })).toBe('button "Proceed to checkout"');
    expect(describeFingerprint({ tag: "input", role: "textbox", label: "Email  address *" })).toBe('textbox "Email address *"');
    expect(describeFingerprint({ tag: "span", text: "Save" })).toBe('span "Save"');
    expect(describeFingerprint({ tag: "input", placeholder: "Search" })).toBe('input "Search"');
  });

  it("falls back to the id, then the tag, and shortens long names", () => {
    expect(describeFingerprint({ tag: "input", id: "q" })).toBe("input#q");
    expect(describeFingerprint({ tag: "div" })).toBe("div");
    expect(describeFingerprint({})).toBe("element");
    expect(describeFingerprint({ tag: "p", text: "x".repeat(80) })).toBe(`p "${"x".repeat(57)}..."`);
  });
});

import { describe, expect, it } from "vitest";
import { literalTarget, scopedTarget, ZTarget } from "@/domain/step";
import { toUrlPattern } from "../heal/resolve/url-pattern";
import { cacheKey, describeElement, normaliseName } from "./selector-cache";

const t = (x: Record<string, unknown>) => ZTarget.parse(x);

describe("describeElement", () => {
  it("normalises case, whitespace and label decorations", () => {
    expect(describeElement(t({ name: "  User\tName: ", kind: "field" }))).toBe("field:user name");
    expect(describeElement(t({ name: "Log  in", kind: "button" }))).toBe("button:log in");
    expect(describeElement(t({ name: "Log in", kind: "button" }))).toBe(describeElement(t({ name: "LOG IN", kind: "button" })));
    expect(normaliseName("Email *")).toBe("email");
  });

  it("keeps the case of exact (quoted) names and distinguishes them from fuzzy ones", () => {
    expect(describeElement(t({ name: "Log  In", exact: true, kind: "button" }))).toBe('button:"Log In"');
    expect(describeElement(t({ name: "Log In", exact: true }))).not.toBe(describeElement(t({ name: "Log In" })));
  });

  it("marks a missing kind, ordinals and scope", () => {
    expect(describeElement(t({ name: "Save" }))).toBe("any:save");
    expect(describeElement(t({ name: "Delete", kind: "button", ordinal: -1 }))).toBe("button:delete|nth=last");
    expect(describeElement(t({ name: "Delete", kind: "button", ordinal: 2, within: { kind: "dialog", name: "Confirm " } }))).toBe(
      "button:delete|nth=2|in=dialog:confirm",
    );
  });

  it("gives the two readings of `Add to cart for Hoodie` keys of their own", () => {
    const both = t({ name: "Add to cart for Hoodie", scoped: { name: "Add to cart", within: { kind: "item", name: "Hoodie" } } });
    expect(describeElement(literalTarget(both))).toBe("any:add to cart for hoodie");
    expect(describeElement(scopedTarget(both)!)).toBe("any:add to cart|in=item:hoodie");
    // The literal reading keeps the key the step had before it was read both ways.
    expect(describeElement(both)).toBe(describeElement(t({ name: "Add to cart for Hoodie" })));
  });

  it("keeps overrides verbatim (selectors are case-sensitive)", () => {
    expect(describeElement(t({ name: "", override: { type: "css", selector: " #Main > .Btn " } }))).toBe("css:#Main > .Btn");
    expect(describeElement(t({ name: "", override: { type: "testid", testId: "login-Btn" } }))).toBe("testid:login-Btn");
    expect(describeElement(t({ name: "", override: { type: "role", role: "Button", name: "Save  now" } }))).toBe("role:button=Save now");
  });
});

describe("toUrlPattern", () => {
  it("drops query and fragment, trailing slash, and generalises id segments", () => {
    expect(toUrlPattern("http://127.0.0.1:3000/demo/login?next=/x#top")).toBe("http://127.0.0.1:3000/demo/login");
    expect(toUrlPattern("https://app.test/users/42/edit/")).toBe("https://app.test/users/:id/edit");
    expect(toUrlPattern("https://app.test/o/3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe("https://app.test/o/:id");
    expect(toUrlPattern("https://app.test/")).toBe("https://app.test/");
    expect(toUrlPattern("https://APP.test/Login")).toBe("https://app.test/Login");
  });
});

describe("cacheKey", () => {
  it("is deterministic, team-scoped and separates pattern from descriptor", () => {
    const k = cacheKey("team1", "https://a.test/login", "field:username");
    expect(k).toBe(cacheKey("team1", " https://a.test/login", "field:username "));
    expect(k).toMatch(/^sel:v1:team1:[0-9a-f]{40}$/);
    expect(k).not.toBe(cacheKey("team2", "https://a.test/login", "field:username"));
    expect(k).not.toBe(cacheKey("team1", "https://a.test/login", "field:password"));
    // no delimiter ambiguity between the two parts
    expect(cacheKey("t", "a|b", "c")).not.toBe(cacheKey("t", "a", "b|c"));
  });
});

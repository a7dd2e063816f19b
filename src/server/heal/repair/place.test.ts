import { describe, expect, it } from "vitest";
import type { Fingerprint } from "@/domain/fingerprint";
import type { Target } from "@/domain/step";
import { attributesAgree, controlKind, keyAttributeKept, mayBeReworded, samePlace } from "./place";

const field = (f: Partial<Fingerprint>): Fingerprint => ({ tag: "input", type: "email", placeKind: "form", placeAction: "Sign up", ...f });
const target = (name: string): Target => ({ name }) as Target;

describe("place and kind", () => {
  it("tells a form's controls apart by kind", () => {
    expect(controlKind(field({}))).toBe("input:email");
    expect(controlKind(field({ type: undefined }))).toBe("input:text");
    expect(controlKind({ tag: "input", type: "submit" })).toBe("button");
    expect(controlKind({ tag: "div", role: "button" })).toBe("button");
    expect(controlKind({ tag: "textarea" })).toBe("textarea");
  });

  it("same place: the same kind of container, known by its name or its submit button", () => {
    expect(samePlace(field({}), field({ placeName: "Create account" }))).toBe(true);
    expect(samePlace(field({}), field({ placeAction: "Subscribe" }))).toBe(false);
    expect(samePlace(field({ placeName: "Shipping address" }), field({ placeName: "Billing address", placeAction: undefined }))).toBe(false);
    expect(samePlace(field({ placeKind: "page", placeAction: undefined }), field({ placeKind: "page", placeAction: undefined }))).toBe(true);
    // A fingerprint captured before places were has no place to compare.
    expect(samePlace(field({ placeKind: undefined }), field({}))).toBe(false);
  });

  it("attributes: a key attribute kept, or most stable classes; generated ids do not count", () => {
    expect(keyAttributeKept(field({ name: "email" }), field({ name: "email" }))).toBe(true);
    expect(keyAttributeKept(field({ id: "input-339" }), field({ id: "input-339" }))).toBe(false);
    expect(attributesAgree(field({ class: "field wide" }), field({ class: "field wide css-1q2w3e" }))).toBe(true);
    expect(attributesAgree(field({ class: "field" }), field({ class: "other" }))).toBe(false);
  });

  it("a new name that says something else than the step is no rewording", () => {
    expect(mayBeReworded({ label: "Email" }, target("Email address"))).toBe(true);
    expect(mayBeReworded({ label: "Mobile number" }, target("Phone"))).toBe(true);
    expect(mayBeReworded({ label: "Comments" }, target("Comment"))).toBe(true);
    expect(mayBeReworded({ label: "Password hint" }, target("Password"))).toBe(false);
    expect(mayBeReworded({ text: "Unsubscribe", label: "Unsubscribe" }, target("Subscribe"))).toBe(false);
    expect(mayBeReworded({ text: "Export XLSX" }, target("Export CSV"))).toBe(false);
    expect(mayBeReworded({ text: "Save draft" }, target("Save"))).toBe(false);
    expect(mayBeReworded({ label: "Email address" }, target("Email"))).toBe(false);
  });
});

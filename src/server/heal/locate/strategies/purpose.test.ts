import { describe, expect, it } from "vitest";
import { purposeTokens } from "./purpose";

describe("purposeTokens", () => {
  it("reads a step's words as a purpose, with the words pages use for it", () => {
    expect(purposeTokens("delete")).toEqual(expect.arrayContaining(["delete", "destroy", "remove", "trash"]));
    expect(purposeTokens("Remove item")).toEqual(expect.arrayContaining(["destroy"]));
    expect(purposeTokens("the edit icon")).toEqual(expect.arrayContaining(["edit", "pencil"]));
    expect(purposeTokens("Deletes")).toContain("trash");
  });

  it("is null for names that say more than a purpose (they are found by their words, or not at all)", () => {
    expect(purposeTokens("Delete account")).toBeNull();
    expect(purposeTokens("Log in")).toBeNull();
    expect(purposeTokens("")).toBeNull();
    expect(purposeTokens("the button")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import type { Step, Target } from "@/domain/step";
import { rewordNote } from "./fresh-look";

const step = (text: string) => ({ text }) as Step;
const target = (name: string) => ({ name }) as Target;

describe("the page now calls this …", () => {
  it("names the new wording and the step text to update", () => {
    expect(rewordNote(step('Fill "a@b.c" in the "Email address" field'), target("Email address"), { label: "Email" })).toBe(
      'the page now calls this "Email"; update the step to: Fill "a@b.c" in the "Email" field',
    );
    expect(rewordNote(step("Click Click here to download"), target("Click here to download"), { text: "Download", label: "Download" })).toMatch(/now calls this "Download"/);
  });

  it("says nothing when only case, spacing, a count or a parenthetical differ", () => {
    expect(rewordNote(step("Click Log in"), target("Log in"), { label: "Log In" })).toBeUndefined();
    expect(rewordNote(step("Click Cart"), target("Cart"), { label: "Cart (2)" })).toBeUndefined();
    expect(rewordNote(step("Click Notifications"), target("Notifications"), { text: "Notifications 3" })).toBeUndefined();
    expect(rewordNote(step("Fill x in the Email field"), target("Email"), {})).toBeUndefined();
  });
});

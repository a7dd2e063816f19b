import { describe, expect, it } from "vitest";
import { bestMatch, compareWords, contentStems, stem, stemsMatch } from "./words";

describe("the one word measure", () => {
  it.each([
    // punctuation, case, spacing, hyphens
    ["Comment:", "comment", "same"],
    ["Log in", "Login", "same"],
    ["E-mail", "Email", "same"],
    // inflections
    ["Comment:", "Comments", "same-words"],
    ["Complete", "Completed", "same-words"],
    ["Register", "Registration", "same-words"],
    // function words and leading instructions
    ["What is your name?", "Your name?", "same-words"],
    ["Click here to download", "Download", "same-words"],
    ["Please enter your email", "Email", "same-words"],
    ["Search products", "Search for products", "same-words"],
    // order
    ["Name of company", "Company name", "reordered"],
    // a shortened name, a qualified one
    ["Email address", "Email", "fewer"],
    ["Password", "Password hint", "more"],
    ["Save", "Save draft", "more"],
    ["checkout", "Proceed to checkout", "more"],
    // something else
    ["Subscribe", "Unsubscribe", "negated"],
    ["Select all", "Deselect all", "negated"],
    ["Export CSV", "Export XLSX", "overlap"],
    ["Delete account", "Delete draft", "overlap"],
    ["Log in", "Log out", "overlap"],
    ["Sign in", "Log in", "overlap"],
    ["Phone", "Mobile number", "none"],
  ])("%s ~ %s: %s", (a, b, relation) => {
    expect(compareWords(a, b).relation).toBe(relation);
  });

  it("keeps a name made only of function words or verbs", () => {
    expect(contentStems("Click here")).toEqual(["click", "here"]);
    expect(contentStems("Enter")).toEqual(["enter"]);
    expect(contentStems("Please enter your email")).toEqual(["email"]);
  });

  it("stems inflections but not short or different words", () => {
    expect(stem("comments")).toBe("comment");
    expect(stem("address")).toBe("address");
    expect(stem("addresses")).toBe("address");
    expect(stemsMatch(stem("status"), stem("statuses"))).toBe(true);
    expect(stemsMatch(stem("status"), stem("state"))).toBe(false);
    expect(stemsMatch(stem("register"), stem("registration"))).toBe(true);
    expect(stemsMatch(stem("cart"), stem("carton"))).toBe(false);
  });

  it("scores from the one table, shortened names below equal ones", () => {
    expect(compareWords("Email address", "Email").score).toBeCloseTo(0.75, 5);
    expect(compareWords("Comment", "Comments").score).toBeGreaterThan(compareWords("Email address", "Email").score);
    expect(bestMatch("Your name", [undefined, "Newsletter", "What is your name?"])).toMatchObject({ relation: "same-words", name: "What is your name?" });
  });
});

describe("compound words", () => {
  it("reads two words as the one word the other name spells", () => {
    expect(compareWords("Username", "User name or email").relation).toBe("more");
    expect(compareWords("User name", "Username").relation).toBe("same");
  });
});

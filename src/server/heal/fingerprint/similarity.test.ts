import { describe, expect, it } from "vitest";
import { ZFingerprint, type Fingerprint } from "@/domain/fingerprint";
import {
  chooseCandidate,
  isVolatileToken,
  levenshtein,
  nameSimilarity,
  scoreCandidates,
  scoreFingerprint,
  wordOverlap,
} from "./similarity";

// A login form as captured on v1: Username above Password, then the Log in button.
const username: Fingerprint = {
  tag: "input", id: "username", name: "username", class: "form-control input-lg", type: "text",
  xpath: "/html[1]/body[1]/main[1]/form[1]/div[1]/input[1]", idxpath: '//*[@id="login"]/div[1]/input[1]',
  x: 100, y: 120, width: 240, height: 32, area: 7680, shape: 7.5,
  neighborText: ["Username", "Sign in to continue", "Password"], visible: true,
  role: "textbox", placeholder: "Your username", label: "Username",
};
const password: Fingerprint = {
  tag: "input", id: "password", name: "password", class: "form-control input-lg", type: "password",
  xpath: "/html[1]/body[1]/main[1]/form[1]/div[2]/input[1]", idxpath: '//*[@id="login"]/div[2]/input[1]',
  x: 100, y: 190, width: 240, height: 32, area: 7680, shape: 7.5,
  neighborText: ["Password", "Username", "Log in"], visible: true,
  role: "textbox", label: "Password",
};
const loginButton: Fingerprint = {
  tag: "button", id: "submit", class: "btn btn-primary", type: "submit", text: "Log in", label: "Log in",
  xpath: "/html[1]/body[1]/main[1]/form[1]/button[1]", idxpath: '//*[@id="login"]/button[1]',
  x: 100, y: 250, width: 120, height: 36, area: 4320, shape: 3.33,
  neighborText: ["Password", "Forgot password?"], visible: true, role: "button",
};
const forgotLink: Fingerprint = {
  tag: "a", href: "/forgot", text: "Forgot password?", label: "Forgot password?", role: "link",
  xpath: "/html[1]/body[1]/main[1]/form[1]/a[1]", x: 240, y: 258, width: 110, height: 18, visible: true,
  neighborText: ["Log in"],
};

/** v2 of an element: the same element after a redesign. */
const v2 = (f: Fingerprint, patch: Partial<Fingerprint>): Fingerprint => ({ ...f, ...patch });
const page = [username, password, loginButton, forgotLink];

type Case = { name: string; target: Fingerprint; candidates: Fingerprint[]; expected: number };

const cases: Case[] = [
  { name: "identical page → the same element", target: username, candidates: page, expected: 0 },
  { name: "identical page, the button", target: loginButton, candidates: page, expected: 2 },
  {
    name: "renamed ids and classes only → chosen",
    target: username,
    candidates: [
      v2(password, { id: "pw-field", class: "Field_input__a8Kd2" }),
      v2(username, { id: "user-field", class: "Field_input__a8Kd2" }),
      v2(loginButton, { id: "go", class: "Button_primary__3xYz1" }),
    ],
    expected: 1,
  },
  {
    name: "new wrappers shift xpath and position → still chosen by identity",
    target: username,
    candidates: [
      v2(username, {
        xpath: "/html[1]/body[1]/div[1]/div[2]/main[1]/section[1]/form[1]/fieldset[1]/div[1]/label[1]/input[1]",
        idxpath: '//*[@id="app"]/div[2]/main[1]/section[1]/form[1]/fieldset[1]/div[1]/label[1]/input[1]',
        x: 400, y: 320,
      }),
      v2(password, { x: 400, y: 390 }),
    ],
    expected: 0,
  },
  {
    name: "button text case change → chosen",
    target: loginButton,
    candidates: [password, v2(loginButton, { text: "LOG IN", label: "LOG IN" }), forgotLink],
    expected: 1,
  },
  {
    name: "button text 'Log in' → 'Login' (spacing) → chosen",
    target: loginButton,
    candidates: [password, v2(loginButton, { text: "Login", label: "Login", id: "btn-login" }), forgotLink],
    expected: 1,
  },
  {
    name: "label → aria-label (computed label unchanged) → chosen",
    target: username,
    candidates: [password, v2(username, { ariaLabel: "Username", id: undefined, name: undefined })],
    expected: 1,
  },
  {
    name: "target recorded with few attributes (no geometry, no xpath) → chosen",
    target: { tag: "input", label: "Username", name: "username" },
    candidates: page,
    expected: 0,
  },
  {
    name: "candidates recorded without geometry/neighbours → chosen",
    target: username,
    candidates: page.map((f) => ({ ...f, x: undefined, y: undefined, area: undefined, shape: undefined, width: undefined, height: undefined, neighborText: undefined })),
    expected: 0,
  },
  {
    name: "two identical candidates (tie) → -1",
    target: username,
    candidates: [username, password, { ...username }],
    expected: -1,
  },
  {
    name: "decoy: element gone, a look-alike with another name at the same place → -1",
    target: loginButton,
    candidates: [password, v2(loginButton, { id: "delete", text: "Delete account", label: "Delete account" }), forgotLink],
    expected: -1,
  },
  {
    name: "decoy: field gone, the other field of the same kind remains → -1",
    target: username,
    candidates: [v2(password, { y: 120, xpath: username.xpath, idxpath: username.idxpath }), loginButton],
    expected: -1,
  },
  {
    name: "decoy: a bare element at the old position with no name at all → -1",
    target: username,
    candidates: [
      { tag: "input", type: "text", class: "form-control input-lg", xpath: username.xpath, idxpath: username.idxpath, x: 100, y: 120, width: 240, height: 32, visible: true },
      loginButton,
    ],
    expected: -1,
  },
  {
    name: "swapped fields: pick by label, not by position",
    target: username,
    candidates: [
      // Password now sits exactly where Username was…
      v2(password, { xpath: username.xpath, idxpath: username.idxpath, y: 120, id: "f1", neighborText: ["Password", "Sign in to continue", "Username"] }),
      // …and Username moved below it.
      v2(username, { xpath: password.xpath, idxpath: password.idxpath, y: 190, id: "f2", neighborText: ["Username", "Password", "Log in"] }),
      loginButton,
    ],
    expected: 1,
  },
  {
    name: "swapped look-alike text fields (First/Last name): pick by label",
    target: { tag: "input", type: "text", label: "First name", name: "first", xpath: "/html[1]/body[1]/form[1]/input[1]", x: 10, y: 10, width: 200, height: 30 },
    candidates: [
      { tag: "input", type: "text", label: "Last name", name: "last", xpath: "/html[1]/body[1]/form[1]/input[1]", x: 10, y: 10, width: 200, height: 30 },
      { tag: "input", type: "text", label: "First name", name: "first", xpath: "/html[1]/body[1]/form[1]/input[2]", x: 10, y: 60, width: 200, height: 30 },
    ],
    expected: 1,
  },
  {
    name: "volatile id equal on a decoy does not win over a stable identity",
    target: v2(username, { id: "input-339" }),
    candidates: [
      v2(password, { id: "input-339" }),
      v2(username, { id: "input-512" }),
    ],
    expected: 1,
  },
  { name: "no candidates → -1", target: username, candidates: [], expected: -1 },
];

describe("chooseCandidate", () => {
  it.each(cases)("$name", ({ target, candidates, expected }) => {
    const r = chooseCandidate(target, candidates);
    expect(r.index, r.reason).toBe(expected);
    if (expected >= 0) expect(r.reason).toBe("accepted");
    else expect(r.reason).not.toBe("accepted");
  });

  it("reports score, runner-up and a reason", () => {
    const r = chooseCandidate(username, page);
    expect(r.score).toBeCloseTo(1, 5);
    expect(r.runnerUp).not.toBeNull();
    expect(r.runnerUp!).toBeLessThan(0.5);
    expect(r.ranked[0]!.index).toBe(0);
  });

  it("refuses a match resting on too little evidence", () => {
    const r = chooseCandidate({ tag: "input", type: "text" }, [{ tag: "input", type: "text" }]);
    expect(r.index).toBe(-1);
    expect(r.reason).toMatch(/insufficient evidence/);
  });

  it("honours threshold and margin options", () => {
    const renamed = v2(username, { label: "User name or email", placeholder: undefined });
    const strict = chooseCandidate(username, [renamed, password], { threshold: 0.99 });
    expect(strict.index).toBe(-1);
    expect(strict.reason).toMatch(/below threshold/);
    const loose = chooseCandidate(username, [renamed, password]);
    expect(loose.index).toBe(0);
    const wide = chooseCandidate(username, [renamed, password], { margin: 0.95 });
    expect(wide.reason).toMatch(/ambiguous/);
  });
});

describe("scoreCandidates", () => {
  it("ranks best first, scores in 0..1, with a breakdown", () => {
    const ranked = scoreCandidates(username, page);
    expect(ranked.map((r) => r.index)[0]).toBe(0);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
    for (const r of ranked) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    expect(ranked[0]!.breakdown.label).toEqual({ weight: 2.5, similarity: 1 });
  });

  it("skips attributes missing on the target and non-identity attributes missing on the candidate", () => {
    const s = scoreFingerprint({ tag: "input", label: "Username" }, { tag: "input", label: "Username", href: "/x", x: 1, y: 2 });
    expect(Object.keys(s.breakdown).sort()).toEqual(["label", "tag"]);
    expect(s.score).toBe(1);
    const t = scoreFingerprint({ tag: "input", class: "a b", x: 1, y: 1 }, { tag: "input" });
    expect(Object.keys(t.breakdown)).toEqual(["tag"]);
  });

  it("counts an identity attribute missing on the candidate as a half-weight mismatch", () => {
    const s = scoreFingerprint({ tag: "input", label: "Username" }, { tag: "input" });
    expect(s.breakdown.label).toEqual({ weight: 1.25, similarity: 0, missingOnCandidate: true });
    expect(s.score).toBeCloseTo(1 / 2.25, 5);
  });

  it("down-weights volatile ids and ignores hashed class tokens", () => {
    const s = scoreFingerprint({ id: "input-339", class: "Button_primary__3xYz1 btn" }, { id: "input-340", class: "Button_primary__9Qw2e btn" });
    expect(s.breakdown.id).toEqual({ weight: 0.2, similarity: 0 });
    expect(s.breakdown.class).toEqual({ weight: 0.5, similarity: 1 });
    const stable = scoreFingerprint({ id: "email" }, { id: "email" });
    expect(stable.breakdown.id).toEqual({ weight: 1.5, similarity: 1 });
  });

  it("identity outweighs all of structure and position together", () => {
    // The position twin matches every structural attribute; the true element only its label.
    const target: Fingerprint = { label: "Email", xpath: "/a[1]", idxpath: "//b[1]", x: 0, y: 0, width: 10, height: 10, visible: true };
    const twin: Fingerprint = { label: "Phone", xpath: "/a[1]", idxpath: "//b[1]", x: 0, y: 0, width: 10, height: 10, visible: true };
    const moved: Fingerprint = { label: "Email", xpath: "/a[2]", idxpath: "//b[2]", x: 0, y: 400, width: 10, height: 10, visible: true };
    const [first] = scoreCandidates(target, [twin, moved]);
    expect(first!.index).toBe(1);
  });

  it("accepts fingerprints parsed from JSON with nulls, empty strings and joined neighbour text", () => {
    const parsed = ZFingerprint.parse({ tag: "input", id: null, name: "", neighborText: "Username Password", label: "Username" });
    expect(parsed).toEqual({ tag: "input", neighborText: ["Username Password"], label: "Username" });
  });
});

describe("isVolatileToken", () => {
  it.each([
    ["input-339", true], [":r1:", true], ["«r5»", true], ["radix-:r2:", true], ["ember123", true],
    ["ext-gen1024", true], ["mat-input-0", true], ["headlessui-menu-button-3", true], ["12345", true],
    ["Button_primary__3xYz1", true], ["css-1q2w3e", true], ["sc-bdVaJa", true], ["jsx-2533462823", true],
    ["makeStyles-root-12", true], ["a1b2c3", true], ["f47ac10b-58cc-4372-a567-0e02b2c3d479", true],
    ["username", false], ["login-form", false], ["btn-primary", false], ["col-md-6", false], ["h1", false],
    ["step-2", false], ["MuiButton-root", false], ["form-control", false], ["nav_item", false], ["mp4player", false],
    ["", false],
  ])("%s → %s", (token, volatile) => {
    expect(isVolatileToken(token)).toBe(volatile);
  });
});

describe("primitive similarities", () => {
  it("levenshtein", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(levenshtein("", "abc")).toBe(3);
    expect(levenshtein("abc", "abc")).toBe(0);
  });

  it.each([
    ["Username", "username", 1],
    ["Email *", "email", 1],
    ["Log in", "Login", 0.95],
    ["First name", "Last name", 0.16],
    ["Sign in", "Log in", 0.02],
    ["Delete account", "Log in", 0],
  ])("nameSimilarity(%s, %s) ≈ %d", (a, b, want) => {
    expect(nameSimilarity(a, b)).toBeCloseTo(want, 2);
  });

  it("nameSimilarity gives containment partial credit", () => {
    const s = nameSimilarity("Email", "Email address");
    expect(s).toBeGreaterThan(0.6);
    expect(s).toBeLessThan(0.9);
  });

  it("wordOverlap is order-free Dice over words", () => {
    expect(wordOverlap(["Username", "Password"], ["password username"])).toBe(1);
    expect(wordOverlap(["a b"], ["c d"])).toBe(0);
    expect(wordOverlap(["a b"], ["a c"])).toBe(0.5);
  });
});

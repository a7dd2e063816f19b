import { describe, expect, it } from "vitest";
import { parseTestFile } from "./test-file";

const WIKI_ORIGINAL = `Test: Wikipedia Article Search
URL: https://en.wikipedia.org
Test Steps:
1. Fill "Artificial Intelligence" in the Search Wikipedia field
2. Press Enter on the Search Wikipedia field
Expected: Article about Artificial Intelligence is displayed
`;

const WIKI_VALID = `Test: Wikipedia Article Search
URL: https://en.wikipedia.org
Prerequisites: none
Note: the search box is in the header
  (continuation lines of a note are ignored too)
Test Steps:
1. Fill "Artificial Intelligence" in the Search Wikipedia field
2. Press Enter on the Search Wikipedia field
Expected: title contains "Artificial intelligence"
Expected:
- URL contains "/wiki/Artificial_intelligence"
- Expect text "Artificial intelligence"
Notes: anything here is for humans
`;

describe("parseTestFile: .txt requirement files", () => {
  it("rejects the original's prose Expected: line, pointing at its line", () => {
    const res = parseTestFile("wikipedia_search.txt", WIKI_ORIGINAL);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]).toMatchObject({ line: 6, text: "Article about Artificial Intelligence is displayed" });
    expect(res.errors[0]!.reason).toMatch(/not an assertion/);
    expect(res.errors[0]!.suggestion).toMatch(/Expect text/);
  });

  it("accepts a valid variant: steps plus several checked Expected: lines", () => {
    const res = parseTestFile("wikipedia_search.txt", WIKI_VALID);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.test.name).toBe("Wikipedia Article Search");
    expect(res.test.url).toBe("https://en.wikipedia.org");
    expect(res.test.dataRows).toEqual([]);
    expect(res.test.steps.map((s) => [s.line, s.action])).toEqual([
      [7, "fill"], [8, "press"], [9, "expectTitle"], [11, "expectUrl"], [12, "expectText"],
    ]);
    expect(res.test.steps[0]).toMatchObject({ value: "Artificial Intelligence", target: { name: "Search Wikipedia", kind: "field" } });
    expect(res.test.steps[1]).toMatchObject({ key: "Enter", target: { name: "Search Wikipedia", kind: "field" } });
  });

  it.each<[string, string, RegExp, number]>([
    ["no URL", "Test: x\nTest Steps:\n1. Go back", /no URL/, 1],
    ["bad URL", "Test: x\nURL: example.com\nTest Steps:\n1. Go back", /not an absolute URL/, 2],
    ["no steps section", "Test: x\nURL: https://a.b", /no Test Steps/, 1],
    ["empty steps", "Test: x\nURL: https://a.b\nTest Steps:\n", /empty/, 1],
    ["bad step", "URL: https://a.b\nTest Steps:\n1. Go back\n2. Clik Save", /unknown action "Clik"/, 4],
    ["action under Expected", "URL: https://a.b\nTest Steps:\n1. Go back\nExpected: Click Save", /must be an assertion/, 4],
    ["stray line", "URL: https://a.b\nsomething\nTest Steps:\n1. Go back", /outside any section/, 2],
    ["unbound variable", 'URL: https://a.b\nTest Steps:\n1. Fill "{{user}}" in Username', /\{\{user\}\} has no value/, 1],
  ])("%s is an error", (_label, content, reason, line) => {
    const res = parseTestFile("t.txt", content);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors.find((e) => reason.test(e.reason))).toMatchObject({ line });
  });

  it("names the test after the file when there is no Test: line, and allows built-in variables", () => {
    const res = parseTestFile("/tmp/My Login.txt", 'URL: https://a.b\nTest Steps:\nFill "u{{timestamp}}" in Username');
    expect(res.ok && res.test.name).toBe("My Login");
  });
});

const SPEC = {
  test: "Login",
  url: "https://app.example.com/login",
  steps: [
    { action: "fill", target: "Username", value: "{{user}}" },
    { action: "fill", target: "the Password field", value: "{{pw}}", within: "Login dialog" },
    "Click the Log in button",
    { action: "press", key: "enter" },
    { action: "wait", seconds: 1.5 },
    { action: "expectState", target: "Save button", state: "disabled" },
    { action: "expectCount", target: "Delete buttons", count: 2 },
    { action: "expect_text", value: "Welcome", within: "the Users section" },
    { action: "click", target: "css:#submit" },
    { action: "select", target: "Country", value: "France" },
    { action: "go to", value: "/home" },
  ],
  data: [{ user: "alice", pw: "wonderland" }, { user: "bob", pw: 42 }],
};

describe("parseTestFile: structured specs", () => {
  const checkSpec = (res: ReturnType<typeof parseTestFile>) => {
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.test.name).toBe("Login");
    expect(res.test.url).toBe("https://app.example.com/login");
    expect(res.test.dataRows).toEqual([{ user: "alice", pw: "wonderland" }, { user: "bob", pw: "42" }]);
    const s = res.test.steps;
    expect(s.map((x) => x.action)).toEqual([
      "fill", "fill", "click", "press", "wait", "expectState", "expectCount", "expectText", "click", "select", "navigate",
    ]);
    expect(s[0]).toMatchObject({ value: "{{user}}", target: { name: "Username" }, text: 'Fill "{{user}}" in the "Username"' });
    expect(s[1]).toMatchObject({ target: { name: "Password", kind: "field", within: { kind: "dialog", name: "Login" } } });
    expect(s[3]).toMatchObject({ key: "Enter" });
    expect(s[3]!.value).toBeUndefined();
    expect(s[4]).toMatchObject({ ms: 1500 });
    expect(s[5]).toMatchObject({ state: "disabled", target: { name: "Save", kind: "button" } });
    expect(s[6]).toMatchObject({ count: 2, target: { name: "Delete", kind: "button" } });
    expect(s[7]).toMatchObject({ value: "Welcome", within: { kind: "section", name: "Users" } });
    expect(s[8]!.target!.override).toEqual({ type: "css", selector: "#submit" });
    expect(s[10]).toMatchObject({ value: "/home" });
  };

  it("parses a .json spec", () => {
    const res = parseTestFile("login.json", JSON.stringify(SPEC, null, 2));
    checkSpec(res);
    // Line numbers point into the file.
    if (res.ok) expect(res.test.steps[0]!.line).toBe(5);
  });

  it.each(["login.yaml", "login.YML"])("parses a %s spec", (file) => {
    const yaml = `test: Login
url: https://app.example.com/login
steps:
  - action: fill
    target: Username
    value: "{{user}}"
  - { action: fill, target: the Password field, value: "{{pw}}", within: Login dialog }
  - Click the Log in button
  - { action: press, key: enter }
  - { action: wait, seconds: 1.5 }
  - { action: expectState, target: Save button, state: disabled }
  - { action: expectCount, target: Delete buttons, count: 2 }
  - { action: expect_text, value: Welcome, within: the Users section }
  - { action: click, target: "css:#submit" }
  - { action: select, target: Country, value: France }
  - { action: go to, value: /home }
data:
  - { user: alice, pw: wonderland }
  - { user: bob, pw: 42 }
`;
    const res = parseTestFile(file, yaml);
    checkSpec(res);
    if (res.ok) expect(res.test.steps.map((s) => s.line).slice(0, 3)).toEqual([4, 7, 8]);
  });

  it.each<[string, string, RegExp]>([
    ["bad json", "login.json", /invalid JSON/],
    ["missing url", "login.yaml", /url/],
    ["unknown action", "login.yaml", /unknown action "explode"/],
    ["ignored outcome key is refused", "login.yaml", /outcome|Unrecognized/i],
    ["missing target", "login.yaml", /target\) is missing/],
    ["missing value", "login.yaml", /value is missing/],
    ["bad string step", "login.yaml", /unknown action "Clik"/],
    ["missing data column", "login.yaml", /data row 1 has no value for \{\{user\}\}/],
    ["bad yaml", "login.yaml", /invalid YAML/],
    ["bad state", "login.yaml", /not a state/],
  ])("%s is an error", (label, file, reason) => {
    const bodies: Record<string, string> = {
      "bad json": "{ url: ",
      "missing url": "steps: [Go back]",
      "unknown action": "url: https://a.b\nsteps: [{ action: explode }]",
      "ignored outcome key is refused": "url: https://a.b\nsteps: [{ action: click, target: Save, outcome: navigates_to:/home }]",
      "missing target": "url: https://a.b\nsteps: [{ action: click }]",
      "missing value": "url: https://a.b\nsteps: [{ action: fill, target: Username }]",
      "bad string step": "url: https://a.b\nsteps:\n  - Go back\n  - Clik Save",
      "missing data column": 'url: https://a.b\nsteps: [{ action: fill, target: U, value: "{{user}}" }]\ndata: [{ name: x }]',
      "bad yaml": "url: https://a.b\nsteps: [Go back\n  - : :",
      "bad state": "url: https://a.b\nsteps: [{ action: expectState, target: Save, state: shiny }]",
    };
    const res = parseTestFile(file, bodies[label]!);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors.map((e) => e.reason).join(" | ")).toMatch(reason);
  });

  it("reports the line of a bad string step in a YAML file", () => {
    const res = parseTestFile("t.yaml", "url: https://a.b\nsteps:\n  - Go back\n  - Clik Save");
    expect(res.ok ? null : res.errors[0]).toMatchObject({ line: 4, suggestion: "Click Save" });
  });
});

describe("parseTestFile: extensions", () => {
  it.each(["test.xlsx", "test", "test.md"])("rejects %s", (file) => {
    const res = parseTestFile(file, "anything");
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[0]!.reason).toMatch(/unknown test file type.*\.txt, \.json, \.yaml or \.yml/);
  });
});

describe("the example test file in docs/", () => {
  it("parses, so the README's `pacts run docs/examples/demo-login.txt` works", async () => {
    const { readFile } = await import("node:fs/promises");
    const file = new URL("../../../docs/examples/demo-login.txt", import.meta.url);
    const r = parseTestFile("demo-login.txt", await readFile(file, "utf8"));
    expect(r.ok && r.test.steps.map((s) => s.action)).toEqual(["fill", "fill", "click", "expectText"]);
  });
});

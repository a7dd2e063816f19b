import { describe, expect, it } from "vitest";
import type { Step } from "@/domain/step";
import { generateSpec } from "./codegen";

const step = (s: Partial<Step> & Pick<Step, "action">): Step => ({ line: 1, text: s.action, ...s }) as Step;

describe("generateSpec", () => {
  it("emits a runnable spec with winning locators and real assertions", () => {
    const spec = generateSpec({
      testName: "Demo login",
      startUrl: "http://127.0.0.1:3000/demo/login",
      steps: [
        { step: step({ action: "fill", text: 'Fill "alice" in Username', value: "alice", target: { name: "Username", exact: false } }), locatorCode: 'getByLabel("Username", { exact: true })' },
        { step: step({ action: "click", target: { name: "Log in", exact: false, kind: "button" } }), locatorCode: 'getByRole("button", { name: "Log in", exact: true })' },
        { step: step({ action: "expectText", value: "Welcome, alice" }) },
        { step: step({ action: "expectUrl", value: "/home?x=1" }) },
        { step: step({ action: "navigate", value: "/demo/other" }) },
        { step: step({ action: "press", key: "Enter" }) },
        { step: step({ action: "type", value: "Retro notes" }) },
        { step: step({ action: "scroll", value: "bottom" }) },
        { step: step({ action: "scroll", target: { name: "Pricing", exact: false, kind: "heading" } }), locatorCode: 'getByRole("heading", { name: "Pricing", exact: true })' },
      ],
    });
    expect(spec).toContain('import { expect, test } from "@playwright/test";');
    expect(spec).toContain('test("Demo login", async ({ page }) => {');
    expect(spec).toContain('await page.goto("http://127.0.0.1:3000/demo/login");');
    expect(spec).toContain('await page.getByLabel("Username", { exact: true }).fill("alice");');
    expect(spec).toContain('await page.getByRole("button", { name: "Log in", exact: true }).click();');
    expect(spec).toContain('await expect(page.getByText("Welcome, alice").filter({ visible: true }).first()).toBeVisible();');
    expect(spec).toContain('await expect(page).toHaveURL(new RegExp("/home\\\\?x=1"));');
    expect(spec).toContain('await page.goto("http://127.0.0.1:3000/demo/other");');
    expect(spec).toContain('await page.keyboard.press("Enter");');
    expect(spec).toContain('await page.keyboard.type("Retro notes");');
    expect(spec).toMatch(/await page\.evaluate\(\(where\) => \{[\s\S]*\}, "bottom"\);/);
    expect(spec).toContain('await page.getByRole("heading", { name: "Pricing", exact: true }).scrollIntoViewIfNeeded();');
    // The whole file is still valid JavaScript once the TypeScript import line is set aside.
    expect(() => new Function(spec.replace(/^import .*$/m, "").replace(/^test\(/m, "(").replace(/\}\);\s*$/, "});"))).not.toThrow();
  });

  it("escapes hostile strings so they cannot break out of literals or comments", () => {
    const evil = 'a"b\\c`${process.exit(1)}`\n// x';
    const spec = generateSpec({
      testName: evil,
      startUrl: "http://x.test/",
      steps: [
        { step: step({ action: "fill", text: `Fill "${evil}"\u2028await boom()`, value: evil, target: { name: evil, exact: true } }) },
        { step: step({ action: "expectTitle", value: "a.b*(c)" }) },
      ],
    });
    expect(spec).toContain(`test(${JSON.stringify(evil)}, async`);
    expect(spec).toContain(`.fill(${JSON.stringify(evil)});`);
    // The step text stays on one comment line.
    const commentLine = spec.split("\n").find((l) => l.includes("await boom()"));
    expect(commentLine?.trim().startsWith("//")).toBe(true);
    expect(spec).toContain('toHaveTitle(new RegExp("a\\\\.b\\\\*\\\\(c\\\\)"))');
    // The whole spec is syntactically valid JavaScript once the import is dropped (no TS-only syntax is emitted).
    const body = spec.replace(/^import .*$/m, "");
    expect(() => new Function("test", "expect", body)).not.toThrow();
  });

  it("falls back to role/label/text locators for steps that never ran", () => {
    const spec = generateSpec({
      testName: "t",
      startUrl: "http://x.test/",
      steps: [
        { step: step({ action: "click", target: { name: "Save", exact: true, kind: "button" } }) },
        { step: step({ action: "fill", value: "v", target: { name: "Email", exact: false } }) },
        { step: step({ action: "click", target: { name: "More", exact: false, ordinal: -1 } }) },
        { step: step({ action: "check", target: { name: "x", exact: false, override: { type: "testid", testId: "agree" } } }) },
        { step: step({ action: "expectCount", count: 3, target: { name: "Row", exact: false, kind: "row" } }) },
        { step: step({ action: "expectState", state: "unchecked", target: { name: "Remember", exact: false, kind: "checkbox" } }) },
      ],
    });
    expect(spec).toContain('page.getByRole("button", { name: "Save", exact: true }).click()');
    expect(spec).toContain('page.getByLabel("Email").fill("v")');
    expect(spec).toContain('page.getByText("More").last().click()');
    expect(spec).toContain('page.getByTestId("agree").check()');
    expect(spec).toContain('expect(page.getByRole("row", { name: "Row" })).toHaveCount(3)');
    expect(spec).toContain('expect(page.getByRole("checkbox", { name: "Remember" })).not.toBeChecked()');
  });

  it("expands and collapses only when the state differs, then checks it", () => {
    const spec = generateSpec({
      testName: "t",
      startUrl: "http://x.test/",
      steps: [
        { step: step({ action: "expand", target: { name: "Shipping", exact: false } }), locatorCode: 'getByRole("button", { name: "Shipping", exact: true })' },
        { step: step({ action: "collapse", target: { name: "FAQ", exact: false } }), locatorCode: 'getByText("FAQ").locator("xpath=ancestor::*[@aria-expanded or self::summary][1]")' },
      ],
    });
    expect(spec).toContain('const control = page.getByRole("button", { name: "Shipping", exact: true });');
    expect(spec).toContain("if ((await expanded()) !== true) await control.click();");
    expect(spec).toContain("if ((await expanded()) !== null) await expect.poll(expanded).toBe(true);");
    expect(spec).toContain('const control = page.getByText("FAQ").locator("xpath=ancestor::*[@aria-expanded or self::summary][1]");');
    expect(spec).toContain("if ((await expanded()) !== false) await control.click();");
    expect(() => new Function("test", "expect", spec.replace(/^import .*$/m, ""))).not.toThrow();
  });

  it("keeps track of tabs only in a spec with tab steps", () => {
    const plain = generateSpec({ testName: "t", startUrl: "http://x.test/", steps: [{ step: step({ action: "reload" }) }] });
    expect(plain).toContain("async ({ page }) => {");
    expect(plain).not.toContain("switchTab");
    const spec = generateSpec({
      testName: "t",
      startUrl: "http://x.test/",
      steps: [
        { step: step({ action: "switchTab", value: "new" }) },
        { step: step({ action: "expectUrl", value: "/docs" }) },
        { step: step({ action: "switchTab", value: "previous" }) },
        { step: step({ action: "closeTab" }) },
      ],
    });
    expect(spec).toContain("async ({ page: firstPage, context }) => {");
    expect(spec).toContain("let page = firstPage;");
    expect(spec).toContain('context.on("page", (p) => { tabs.push(p); p.on("dialog", ');
    expect(spec).toContain('page = await switchTab("new");');
    expect(spec).toContain('page = await switchTab("previous");');
    expect(spec).toContain("page = await closeTab();");
    expect(spec.indexOf("let page = firstPage;")).toBeLessThan(spec.indexOf('page.on("dialog"'));
    expect(() => new Function("test", "expect", spec.replace(/^import .*$/m, ""))).not.toThrow();
  });

  it("sets the file the run set: a file from disk by its path, a generated one by its bytes", () => {
    const spec = generateSpec({
      testName: "t",
      startUrl: "http://x.test/",
      steps: [
        { step: step({ action: "upload", value: "cv.pdf", target: { name: "Resume", exact: false } }), locatorCode: 'getByLabel("Resume", { exact: true })', upload: { name: "cv.pdf", mimeType: "application/pdf", path: "/tests/cv.pdf" } },
        { step: step({ action: "upload", value: "a.png", target: { name: "Photo", exact: false } }), locatorCode: 'getByText("Photo").locator("xpath=id(@for)")', upload: { name: "a.png", mimeType: "image/png", base64: "iVBO", generatedBecause: "no such file" } },
        { step: step({ action: "upload", value: "data.csv" }) },
      ],
    });
    expect(spec).toContain('const input = page.getByLabel("Resume", { exact: true });');
    expect(spec).toContain('await input.setInputFiles("/tests/cv.pdf");');
    expect(spec).toContain('.toContain("cv.pdf");');
    expect(spec).toContain("// A generated file, as in the run: no such file");
    expect(spec).toContain('await input.setInputFiles({ name: "a.png", mimeType: "image/png", buffer: Buffer.from("iVBO", "base64") });');
    // A step that never ran: the page's only file input and a generated file.
    expect(spec).toContain('const input = page.locator("input[type=file]");');
    expect(spec).toMatch(/setInputFiles\(\{ name: "data\.csv", mimeType: "text\/csv", buffer: Buffer\.from\("[A-Za-z0-9+\/=]+", "base64"\) \}\)/);
    expect(() => new Function("test", "expect", spec.replace(/^import .*$/m, ""))).not.toThrow();
  });
});

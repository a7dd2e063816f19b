// Turns an executed run into a standalone @playwright/test spec. Locators are the user-facing ones the winning
// strategy used (getByLabel/getByPlaceholder/getByRole/getByText), every string goes through JSON.stringify, and
// assertions are emitted as real expect() calls, so the file runs as-is in a Playwright project.
import type { Step } from "@/domain/step";
import { cssForm, roleForm, testIdForm, textForm } from "../locate/strategies/selector-syntax";
import { disclosureSpecLines } from "../page/disclosure";
import { SCROLL_PAGE_FN } from "../page/page-scroll";
import { FILE_INPUT_CODE, FILE_NAMES_FN, generatedUpload, type UploadFile } from "../act/upload";
import { rolesFor } from "../locate/strategies/role-name";

export type CodegenStep = {
  step: Step;
  /** Winning locator code after `page.` (from the executor). */
  locatorCode?: string;
  /** The file an upload step set in the run (the executor's StepResult.upload). */
  upload?: UploadFile;
};
export type CodegenInput = { testName: string; startUrl: string; steps: CodegenStep[] };

const q = (s: string | undefined): string => JSON.stringify(s ?? "");

/** A regex literal built through the RegExp constructor, so no character of `s` can break out of it. */
function containsRegex(s: string): string {
  return `new RegExp(${q(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))})`;
}

/** One comment line: JS line terminators (incl. U+2028/2029) would end the comment early. */
function comment(text: string): string {
  return `// ${text.replace(/[\r\n\u2028\u2029]+/g, " ")}`;
}

/** Locator code for a step that never ran (no winning strategy): the most likely user-facing locator. */
function fallbackLocator(step: Step): string {
  const t = step.target;
  if (!t) return step.action === "upload" ? FILE_INPUT_CODE : `locator("body")`;
  if (t.override) {
    const o = t.override;
    if (o.type === "css") return cssForm(o.selector).code;
    if (o.type === "role") return roleForm(o.role, o.name, "exact").code;
    return testIdForm(o.testId).code;
  }
  if (["fill", "type", "clear", "expectValue", "upload"].includes(step.action) && !t.kind) return `getByLabel(${q(t.name)})`;
  const role = t.kind ? rolesFor(t.kind, step.action)[0] : undefined;
  // A step that never ran gets Playwright's own matching: the exact name when quoted, else its default substring.
  const code = t.exact
    ? role ? roleForm(role, t.name, "exact").code : textForm(t.name, "exact").code
    : role ? `getByRole(${q(role)}, { name: ${q(t.name)} })` : `getByText(${q(t.name)})`;
  if (t.ordinal === undefined) return code;
  return t.ordinal === -1 ? `${code}.last()` : `${code}.nth(${t.ordinal})`;
}

/** The same file the run set (a file from disk by its path, a generated one by its bytes), then the same check. */
function uploadLines(input: string, file: UploadFile): string[] {
  const files = file.path ? q(file.path) : `{ name: ${q(file.name)}, mimeType: ${q(file.mimeType)}, buffer: Buffer.from(${q(file.base64)}, "base64") }`;
  return [
    "{",
    ...(file.generatedBecause ? [`  ${comment(`A generated file, as in the run: ${file.generatedBecause}`)}`] : []),
    `  const input = ${input};`,
    `  await input.setInputFiles(${files});`,
    `  await expect.poll(() => input.evaluate(${FILE_NAMES_FN})).toContain(${q(file.name)});`,
    "}",
  ];
}

function stepLines(s: CodegenStep, startUrl: string): string[] {
  const { step } = s;
  const loc = `page.${s.locatorCode ?? fallbackLocator(step)}`;
  const v = q(step.value);
  switch (step.action) {
    case "navigate": {
      let url = step.value ?? "";
      try {
        url = new URL(url, startUrl).toString();
      } catch {
        // keep what the user wrote; the spec will fail on it the same way the run did
      }
      return [`await page.goto(${q(url)});`];
    }
    case "reload":
      return ["await page.reload();"];
    case "back":
      return ["await page.goBack();"];
    case "fill":
      return [`await ${loc}.fill(${v});`];
    case "type":
      return step.target ? [`await ${loc}.pressSequentially(${v});`] : [`await page.keyboard.type(${v});`];
    case "clear":
      return [`await ${loc}.clear();`];
    case "press":
      return step.target ? [`await ${loc}.press(${q(step.key ?? "Enter")});`] : [`await page.keyboard.press(${q(step.key ?? "Enter")});`];
    case "click":
      return [`await ${loc}.click();`];
    case "dblclick":
      return [`await ${loc}.dblclick();`];
    case "scroll":
      return step.target ? [`await ${loc}.scrollIntoViewIfNeeded();`] : [`await page.evaluate(${SCROLL_PAGE_FN}, ${v});`];
    case "hover":
      return [`await ${loc}.hover();`];
    case "select":
      return [`await ${loc}.selectOption(${v});`];
    case "check":
      return [`await ${loc}.check();`];
    case "uncheck":
      return [`await ${loc}.uncheck();`];
    case "expand":
    case "collapse":
      return disclosureSpecLines(loc, step.action === "expand");
    case "upload":
      return uploadLines(loc, s.upload ?? generatedUpload(step.value ?? "", "the step did not run"));
    case "switchTab":
      return [`page = await switchTab(${q(step.value ?? "new")});`];
    case "closeTab":
      return ["page = await closeTab();"];
    case "waitFor":
      return [`await ${loc}.waitFor();`];
    case "waitForText":
      return [`await page.getByText(${v}).filter({ visible: true }).first().waitFor();`];
    case "wait":
      return [`await page.waitForTimeout(${step.ms ?? 1000});`];
    case "expectText":
      return [`await expect(page.getByText(${v}).filter({ visible: true }).first()).toBeVisible();`];
    case "expectNoText":
      // Playwright's text engine reads open shadow roots; the body's innerText would not (a web-component page
      // would pass any "no text").
      return [`await expect(page.getByText(${v}).filter({ visible: true })).toHaveCount(0);`];
    case "expectTitle":
      return [`await expect(page).toHaveTitle(${containsRegex(step.value ?? "")});`];
    case "expectUrl":
      return [`await expect(page).toHaveURL(${containsRegex(step.value ?? "")});`];
    case "expectState": {
      const matcher = {
        visible: "toBeVisible()",
        hidden: "toBeHidden()",
        enabled: "toBeEnabled()",
        disabled: "toBeDisabled()",
        checked: "toBeChecked()",
        unchecked: "not.toBeChecked()",
      }[step.state ?? "visible"];
      return [`await expect(${loc}).${matcher};`];
    }
    case "expectValue":
      return [`await expect(${loc}).toHaveValue(${v});`];
    case "expectContains":
      return [`await expect(${loc}).toContainText(${v});`];
    case "expectCount":
      return [`await expect(${loc}).toHaveCount(${step.count ?? 0});`];
    default:
      return step.action satisfies never;
  }
}

const ANSWER_DIALOG = '(dialog) => dialog.accept(dialog.type() === "prompt" ? dialog.defaultValue() : undefined)';

/**
 * The tab bookkeeping of a spec with tab steps, as executor's Tabs does it: every page the context opens, in
 * order; steps act on `page`, which only switchTab / closeTab change; "new" is a tab opened since the last switch.
 */
const TAB_HELPERS = [
  comment("Tabs as in the PACTS run: steps act on `page`; \"new\" is a tab opened since the last switch."),
  "let page = firstPage;",
  "let previous;",
  "const tabs = [page];",
  "let seen = tabs.length;",
  `context.on("page", (p) => { tabs.push(p); p.on("dialog", ${ANSWER_DIALOG}); });`,
  "const open = () => tabs.filter((p) => !p.isClosed());",
  "const fallback = (not) => (previous && previous !== not && !previous.isClosed() ? previous : open().filter((p) => p !== not).at(-1));",
  "const activate = async (to) => {",
  "  if (to !== page) previous = page;",
  "  seen = tabs.length;",
  "  await to.bringToFront();",
  '  await to.waitForLoadState("load");',
  "  return to;",
  "};",
  "const switchTab = async (place) => {",
  "  const fresh = () => tabs.slice(seen).filter((p) => !p.isClosed() && p !== page).at(-1);",
  '  if (place === "new") await expect.poll(() => fresh() !== undefined).toBe(true);',
  '  const to = { new: fresh, first: () => open()[0], last: () => open().at(-1), previous: () => fallback(page) }[place]();',
  "  expect(to, `a ${place} tab`).toBeTruthy();",
  "  return activate(to);",
  "};",
  "const closeTab = async () => {",
  "  const closing = page;",
  "  const next = fallback(closing);",
  '  expect(next, "another tab to go back to").toBeTruthy();',
  "  await activate(next);",
  "  previous = undefined;",
  "  await closing.close();",
  "  return next;",
  "};",
];

export function generateSpec(input: CodegenInput): string {
  const usesTabs = input.steps.some((s) => s.step.action === "switchTab" || s.step.action === "closeTab");
  const body = [
    ...(usesTabs ? TAB_HELPERS : []),
    comment("JavaScript dialogs (alert, confirm, prompt) are answered with OK, as in the PACTS run."),
    `page.on("dialog", ${ANSWER_DIALOG});`,
    `await page.goto(${q(input.startUrl)});`,
  ];
  for (const s of input.steps) body.push(comment(s.step.text), ...stepLines(s, input.startUrl));
  return [
    "// Generated by PACTS from a recorded run. Locators are the ones that found each element in that run.",
    'import { expect, test } from "@playwright/test";',
    "",
    `test(${q(input.testName)}, async (${usesTabs ? "{ page: firstPage, context }" : "{ page }"}) => {`,
    ...body.map((l) => `  ${l}`),
    "});",
    "",
  ].join("\n");
}

// Runs a corpus case with hand-written, known-good Playwright locators from the case's reference.json. This is how
// the FIXTURES are proven sound (and what bench/ can time as "the hand-written script"); the heal engine never sees
// reference.json.
import fs from "node:fs";
import path from "node:path";
import type { FrameLocator, Locator, Page } from "playwright-core";
import { z } from "zod";
import type { Step } from "@/domain/step";
import { readGroundTruthLog, type ExecutedStep } from "./ground-truth";
import type { CorpusCase, CorpusVersion } from "./harness";

const ZRefTarget = z.union([
  z.string().min(1),
  z
    .object({
      selector: z.string().min(1),
      /** CSS selector of a same-origin iframe the element lives in. */
      frame: z.string().min(1).optional(),
      /** Perform check/uncheck by clicking this element (a label drawing a custom checkbox). */
      via: z.literal("click").optional(),
      /** Select from an ARIA combobox: click `selector`, then click this option. */
      option: z.string().min(1).optional(),
    })
    .strict(),
  z.null(),
]);
export type RefTarget = z.infer<typeof ZRefTarget>;

export const ZReference = z
  .object({
    /** Elements to click right after load, per version (dismissing a cookie banner). */
    setup: z.object({ v1: z.array(z.string()).optional(), v2: z.array(z.string()).optional() }).strict().optional(),
    /** "wrong": v1 locators still resolve on v2 but to the WRONG elements (a cache that only checks uniqueness heals wrong). */
    v1OnV2: z.literal("wrong").optional(),
    /** Step line -> locator per version; v2 null = the element is gone (decoys). */
    steps: z.record(z.string().regex(/^\d+$/), z.object({ v1: ZRefTarget, v2: ZRefTarget }).strict()),
  })
  .strict();
export type Reference = z.infer<typeof ZReference>;

export function loadReference(c: CorpusCase): Reference {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(c.dir, "reference.json"), "utf8"));
  const parsed = ZReference.safeParse(raw);
  if (!parsed.success) throw new Error(`corpus case ${c.slug}: reference.json: ${parsed.error.message}`);
  return parsed.data;
}

export type ReferenceRun = {
  passed: boolean;
  /** Line of the step that failed, and why. */
  failedLine?: number;
  error?: string;
  executed: ExecutedStep[];
};

type Root = Page | FrameLocator;
function resolve(page: Page, t: Exclude<RefTarget, null>): { root: Root; loc: Locator; spec: Exclude<RefTarget, null | string> } {
  const spec = typeof t === "string" ? { selector: t } : t;
  const root: Root = spec.frame ? page.frameLocator(spec.frame) : page;
  return { root, loc: root.locator(spec.selector), spec };
}

async function poll(what: string, timeoutMs: number, ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await ok().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);

async function runStep(page: Page, step: Step, target: RefTarget | undefined, timeout: number): Promise<void> {
  const needsTarget = step.target !== undefined && !(step.action === "press" && !step.target);
  if (needsTarget && !target) throw new Error(`no reference locator for line ${step.line}`);
  const r = target ? resolve(page, target) : undefined;
  const loc = r?.loc;
  const value = step.value ?? "";
  switch (step.action) {
    case "fill": return loc!.fill(value, { timeout });
    case "type": return loc!.pressSequentially(value, { timeout });
    case "clear": return loc!.clear({ timeout });
    case "click": return loc!.click({ timeout });
    case "dblclick": return loc!.dblclick({ timeout });
    case "hover": return loc!.hover({ timeout });
    case "check":
    case "uncheck": {
      if (r!.spec.via === "click") {
        await loc!.click({ timeout });
        const input = loc!.locator("input[type=checkbox], input[type=radio]").first();
        const want = step.action === "check";
        return poll(`${step.action} via click`, timeout, async () => (await input.isChecked()) === want);
      }
      return step.action === "check" ? loc!.check({ timeout }) : loc!.uncheck({ timeout });
    }
    case "select": {
      if (r!.spec.option) {
        await loc!.click({ timeout });
        await r!.root.locator(r!.spec.option).click({ timeout });
        return;
      }
      await loc!.selectOption({ label: value }, { timeout });
      return;
    }
    case "press": return loc ? loc.press(step.key!, { timeout }) : page.keyboard.press(step.key!);
    case "wait": return page.waitForTimeout(step.ms ?? 0);
    case "waitFor": return loc!.waitFor({ state: step.state === "hidden" ? "hidden" : "visible", timeout });
    case "waitForText":
    case "expectText":
      return poll(`text "${value}"`, timeout, async () => (await bodyText(page)).includes(value));
    case "expectNoText":
      if ((await bodyText(page)).includes(value)) throw new Error(`unexpected text "${value}"`);
      return;
    case "expectTitle": return poll(`title contains "${value}"`, timeout, async () => (await page.title()).includes(value));
    case "expectUrl": return poll(`URL contains "${value}"`, timeout, async () => page.url().includes(value));
    case "expectState": {
      const s = step.state!;
      const check: Record<typeof s, () => Promise<boolean>> = {
        visible: () => loc!.isVisible(),
        hidden: () => loc!.isHidden(),
        enabled: () => loc!.isEnabled(),
        disabled: () => loc!.isDisabled(),
        checked: () => loc!.isChecked(),
        unchecked: async () => !(await loc!.isChecked()),
      };
      return poll(`to be ${s}`, timeout, check[s]);
    }
    case "expectValue": return poll(`value "${value}"`, timeout, async () => (await loc!.inputValue()) === value);
    case "expectContains": return poll(`contains "${value}"`, timeout, async () => ((await loc!.textContent()) ?? "").includes(value));
    case "expectCount": return poll(`count ${step.count}`, timeout, async () => (await loc!.count()) === step.count);
    case "navigate":
    case "reload":
    case "back":
      throw new Error(`${step.action} is not used in the corpus`);
  }
}

/**
 * Opens `url` (the version is decided by the server/cookie), runs every step with the reference locators of
 * `locators` (v1 or v2 column; pass `overrides` to force a locator for a line) and records the ground-truth events
 * of each step. Stops at the first failing step.
 */
export async function runWithReference(
  page: Page,
  url: string,
  c: CorpusCase,
  ref: Reference,
  locators: CorpusVersion,
  opts: { timeoutMs?: number; setupVersion?: CorpusVersion; overrides?: Record<string, RefTarget> } = {},
): Promise<ReferenceRun> {
  // Generous: the corpus runs its cases concurrently, and a loaded CI machine must not fail a passing reference.
  const timeout = opts.timeoutMs ?? 15_000;
  const executed: ExecutedStep[] = [];
  await page.goto(url, { waitUntil: "load" });
  const setup = ref.setup?.[`v${opts.setupVersion ?? locators}`] ?? [];
  // Setup waits as long as a human would for the banner, even in a short-timeout (stale locator) run.
  for (const sel of setup) await page.locator(sel).click({ timeout: Math.max(timeout, 15_000) });
  await readGroundTruthLog(page); // setup clicks are not steps
  for (const step of c.steps) {
    const entry = opts.overrides?.[String(step.line)] ?? ref.steps[String(step.line)]?.[`v${locators}`];
    try {
      await runStep(page, step, entry, timeout);
    } catch (e) {
      executed.push({ line: step.line, events: await readGroundTruthLog(page).catch(() => []) });
      return { passed: false, failedLine: step.line, error: (e as Error).message.split("\n")[0], executed };
    }
    executed.push({ line: step.line, events: await readGroundTruthLog(page) });
  }
  return { passed: true, executed };
}

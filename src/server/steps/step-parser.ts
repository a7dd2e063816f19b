// The deterministic step grammar: one plain-English line -> one Step, no LLM. Pure module.
//
// How a line is read:
//  1. Quoted parts ("…", “…”, ‘…’, and '…' when it starts a word) are masked as placeholders first, so no keyword
//     inside a quoted value or name can ever be taken as grammar (`Expect text "Log in to the dialog"`).
//  2. The masked line is matched against the forms of forms.ts, in order, case-insensitively.
//  3. A target phrase is read right-to-left: a scope suffix (`in the Y dialog`, `in row "…"`), a leading "the",
//     an ordinal, an override (`css:`, `role:`, `testid:`), then a trailing type word that becomes `kind`.
//     "in" only opens a scope when followed by the/a/an or a quote AND ending in a region word, so
//     `Click Log in` clicks "Log in" and `Fill "x" in the Search field in the Login dialog` scopes correctly.
// Anything that does not match is rejected with the line, the reason and the closest valid form.
import { ZStep, type Step, type StepParseError } from "@/domain/step";
import { EXPECT, FORMS, type Built, type Ctx, type Form } from "./forms";
import { maskQuotes, type Masked, unmask } from "./quotes";
import { ASSERTION_EXAMPLES, TEMPLATES, nearestTemplate } from "./suggestions";
import { isFail } from "./targets";

export { formatStep, missingPart, parseRegionPhrase, parseTargetPhrase, readAction } from "./structured";
export { normalizeKey } from "./vocabulary";

export type ParseStepsResult = { ok: true; steps: Step[] } | { ok: false; errors: StepParseError[] };
export type LineResult = { ok: true; step: Step } | { ok: false; error: StepParseError };

/** Strips list numbering (`1.`, `1)`, `- `, `* `, `• `) from a trimmed line. */
export function stripNumbering(line: string): string {
  return line.replace(/^(?:\d+[.)]|[-*•])\s+/, "").trim();
}

export function matchForms(masked: string, ctx: Ctx): { form: Form; built: Built } | undefined {
  for (const form of FORMS) {
    const hit = form.re.exec(masked);
    if (hit) return { form, built: form.build(hit.slice(1) as string[], ctx) };
  }
  return undefined;
}

export type LineOptions = { assertionOnly?: boolean };

/**
 * Parses one line (already known not to be blank or a comment). `assertionOnly` is for a requirement file's
 * `Expected:` section: only assertion forms count, and the leading "Expect" may be left out.
 */
export function parseStepLine(rawLine: string, line: number, opts: LineOptions = {}): LineResult {
  const text = stripNumbering(rawLine.trim());
  const fail = (reason: string, suggestion?: string): LineResult => ({
    ok: false,
    error: { line, text, reason, ...(suggestion ? { suggestion } : {}) },
  });
  const masked = maskQuotes(text);
  if ("error" in masked) return fail(masked.error, "close the quote, e.g. Fill \"alice\" in the Username field");
  // Whitespace is normalised and one trailing full stop dropped (prose habit), outside quotes only.
  const m: Masked = { quotes: masked.quotes, text: masked.text.replace(/\s+/g, " ").trim().replace(/[.;]$/, "").trim() };
  const ctx: Ctx = { m };

  let found = matchForms(m.text, ctx);
  if (opts.assertionOnly && !found?.form.assertion && !new RegExp(`^${EXPECT}\\b`, "i").test(m.text)) {
    // `Expected: title contains "x"` reads as `Expect title contains "x"`.
    const again = matchForms(`Expect ${m.text}`, ctx);
    if (again?.form.assertion) found = again;
  }
  if (found && opts.assertionOnly && !found.form.assertion) {
    return fail("an Expected: line must be an assertion, not an action", ASSERTION_EXAMPLES.slice(0, 3).join(" · "));
  }
  if (found && isFail(found.built)) {
    const first = (m.text.split(" ")[0] ?? "").toLowerCase();
    const { template } = nearestTemplate(first, !!opts.assertionOnly);
    return fail(found.built.fail, template.examples.join(" · "));
  }
  if (found) {
    const parsed = ZStep.safeParse({ line, text, ...(found.built as object) });
    if (!parsed.success) return fail(`internal: ${parsed.error.issues[0]?.message ?? "invalid step"}`);
    return { ok: true, step: parsed.data };
  }
  return fail(...diagnose(m, ctx, !!opts.assertionOnly));
}

/** Why a line matched no form, and the closest valid form (a corrected line when a typo'd verb was the cause). */
export function diagnose(m: Masked, ctx: Ctx, assertionOnly: boolean): [string, string] {
  const words = m.text.split(" ");
  const first = (words[0] ?? "").toLowerCase();
  const exact = (assertionOnly ? TEMPLATES.filter((t) => t.assertion) : TEMPLATES).find((t) => t.verbs.includes(first));
  const repaired = repairLine(m.text, ctx);
  if (exact && repaired) return [repaired.reason, unmask(repaired.line, m, "raw")];
  if (exact) {
    const shown = unmask(m.text, m, "raw");
    const reason = assertionOnly
      ? `"${shown}" is not an assertion this grammar can check`
      : `"${words[0]}" is not followed by a form it accepts (${describeNeeds(first)})`;
    return [reason, exact.examples.join(" · ")];
  }
  const near = nearestTemplate(first, assertionOnly);
  if (near.distance <= Math.max(1, Math.floor(near.verb.length / 3))) {
    // A typo in the verb: suggest the same line with the verb fixed, when that parses.
    const fixedVerb = near.verb[0]!.toUpperCase() + near.verb.slice(1);
    const fixed = [fixedVerb, ...words.slice(1)].join(" ");
    const works = matchForms(fixed, ctx);
    const suggestion = works && !isFail(works.built) ? unmask(fixed, m, "raw") : near.template.examples.join(" · ");
    return [`unknown action "${words[0]}" (did you mean "${near.verb}"?)`, suggestion];
  }
  if (assertionOnly) {
    return [`not an assertion: an Expected: line must be checkable, not prose`, ASSERTION_EXAMPLES.slice(0, 4).join(" · ")];
  }
  return [
    `unknown action "${words[0]}": a step starts with Go to, Fill, Type, Clear, Press, Click, Double-click, Hover, Select, Check, Uncheck, Expand, Collapse, Upload, Switch to, Wait or Expect`,
    near.template.examples.join(" · "),
  ];
}

/** Common slips (a value without quotes, a state without "to be"): the repaired line, when that parses. */
export const QUOTES = "the value must be in quotes";
export const REPAIRS: [RegExp, (g: string[]) => string, string?][] = [
  [/^((?:fill(?:\s+in)?|enter|input|set)\s+.+?\s+(?:with|to)\s+)([^\uE000]+)$/i, ([a, v]) => `${a}"${v}"`],
  [/^((?:fill(?:\s+in)?|enter|input|type)\s+)([^\uE000]+?)(\s+(?:in|into)\s+.+)$/i, ([a, v, b]) => `${a}"${v}"${b}`],
  [/^((?:select|choose|pick)\s+)([^\uE000]+?)(\s+from\s+.+)$/i, ([a, v, b]) => `${a}"${v}"${b}`],
  [/^((?:upload|attach)\s+(?:the\s+)?(?:file\s+)?)([^\uE000\s]+)((?:\s+(?:to|into|in|on|for)\s+.+)?)$/i, ([a, v, b]) => `${a}"${v}"${b}`, "the file name must be in quotes"],
  [/^((?:expect|verify|assert)\s+(?:no\s+)?(?:text|title\s+contains|url\s+contains)\s+)([^\uE000]+)$/i, ([a, v]) => `${a}"${v}"`],
  [/^((?:expect|verify|assert)\s+.+?\s+to\s+(?:contain|have\s+value)\s+)([^\uE000]+)$/i, ([a, v]) => `${a}"${v}"`],
  [
    /^((?:expect|verify|assert)\s+.+?)\s+(?:is\s+|are\s+)?(visible|hidden|enabled|disabled|checked|unchecked)$/i,
    ([a, st]) => `${a} to be ${st}`,
    'a state is written "to be visible|hidden|enabled|disabled|checked|unchecked"',
  ],
];
export function repairLine(line: string, ctx: Ctx): { line: string; reason: string } | undefined {
  for (const [re, fix, reason] of REPAIRS) {
    const hit = re.exec(line);
    if (!hit) continue;
    const candidate = fix(hit.slice(1) as string[]);
    const masked = maskQuotes(unmask(candidate, ctx.m, "raw"));
    if ("error" in masked) continue;
    const works = matchForms(masked.text, { m: masked });
    if (works && !isFail(works.built)) return { line: candidate, reason: reason ?? QUOTES };
  }
  return undefined;
}

export function describeNeeds(verb: string): string {
  switch (verb) {
    case "fill": case "enter": case "input": case "set": return "a quoted value and a field";
    case "type": return "a quoted value and a field";
    case "select": case "choose": case "pick": return 'a quoted option and "from" a dropdown';
    case "go": case "navigate": case "open": case "visit": return "a URL";
    case "wait": return "a duration, an element or text";
    case "press": case "hit": return "a key";
    case "switch": return 'a tab (new, first, previous, last) or "on"/"off" and a switch';
    case "upload": case "attach": return 'a quoted file name, and "to" the field that takes it';
    case "expect": case "verify": case "assert": case "ensure": case "confirm": return "an assertion form";
    default: return "an element";
  }
}

export const isSkippable = (line: string) => line.trim() === "" || /^\s*(?:#|\/\/)/.test(line);

/** One step per non-empty, non-comment line (`#` or `//`). All errors are reported, not just the first. */
export function parseSteps(source: string): ParseStepsResult {
  const steps: Step[] = [];
  const errors: StepParseError[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    if (isSkippable(raw)) return;
    const res = parseStepLine(raw, i + 1);
    if (res.ok) steps.push(res.step);
    else errors.push(res.error);
  });
  if (errors.length > 0) return { ok: false, errors };
  if (steps.length === 0) return { ok: false, errors: [{ line: 1, text: "", reason: "there are no steps", suggestion: "Go to https://example.com" }] };
  return { ok: true, steps };
}

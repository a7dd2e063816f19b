// Test files for the CLI, format chosen by extension:
//  .txt        the original's requirement text: `Test:`, `URL:`, `Test Steps:` (numbered list), `Expected:` lines
//              (each an ASSERTION — prose is an error, never silently dropped), ignored `Prerequisites:`/`Note(s):`.
//  .json/.yaml structured spec: { name|test?, url, steps: [string | {action, target, value, within, …}], data?: [rows] }.
// Pure: content in, parsed test or every error (with its line) out.
import path from "node:path";
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from "yaml";
import { z } from "zod";
import { ZStep, type Step, type StepParseError } from "@/domain/step";
import { parseStepLine } from "./step-parser";
import { formatStep, missingPart, parseRegionPhrase, parseTargetPhrase, readAction } from "./structured";
import { normalizeKey } from "./vocabulary";
import { checkDataRows } from "./variables";

export type ParsedTest = { name: string; url: string; steps: Step[]; dataRows: Record<string, string>[] };
export type ParseTestFileResult = { ok: true; test: ParsedTest } | { ok: false; errors: StepParseError[] };

const err = (line: number, text: string, reason: string, suggestion?: string): StepParseError => ({
  line,
  text,
  reason,
  ...(suggestion ? { suggestion } : {}),
});

function checkStartUrl(url: string): string | undefined {
  if (url.startsWith("{{")) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? undefined : `the URL must be http(s): "${url}"`;
  } catch {
    return `"${url}" is not an absolute URL`;
  }
}

/** Data-row problems become file errors on line 1 (rows have no line of their own in a .txt). */
function finish(test: ParsedTest, errors: StepParseError[], dataLine = 1): ParseTestFileResult {
  if (errors.length === 0) {
    for (const problem of checkDataRows(test.steps, test.dataRows)) errors.push(err(dataLine, "", problem));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, test };
}

// ---------------------------------------------------------------------------------------------------------------
// .txt requirement files

const HEADER = /^\s*(test\s+name|test|url|prerequisites?|notes?|test\s+steps|steps|expected(?:\s+results?|\s+outcomes?)?)\s*:\s*(.*)$/i;
type Section = "none" | "steps" | "expected" | "ignored";

export function parseRequirementText(fileName: string, content: string): ParseTestFileResult {
  const errors: StepParseError[] = [];
  const steps: Step[] = [];
  let name: string | undefined;
  let url: string | undefined;
  let section: Section = "none";
  let sawSteps = false;

  const addLine = (text: string, line: number, assertionOnly: boolean) => {
    const res = parseStepLine(text, line, { assertionOnly });
    if (res.ok) steps.push(res.step);
    else errors.push(res.error);
  };

  content.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "" || /^\s*(?:#|\/\/)/.test(raw)) return;
    const header = HEADER.exec(raw);
    if (header) {
      const key = header[1]!.toLowerCase().replace(/\s+/g, " ");
      const rest = header[2]!.trim();
      if (key === "test" || key === "test name") {
        if (name !== undefined) errors.push(err(line, raw.trim(), "a second Test: line"));
        name = rest;
        section = "none";
      } else if (key === "url") {
        if (url !== undefined) errors.push(err(line, raw.trim(), "a second URL: line"));
        url = rest;
        const bad = checkStartUrl(rest);
        if (bad) errors.push(err(line, raw.trim(), bad, "URL: https://example.com/login"));
        section = "none";
      } else if (key === "test steps" || key === "steps") {
        section = "steps";
        sawSteps = true;
        if (rest) addLine(rest, line, false);
      } else if (key.startsWith("expected")) {
        section = "expected";
        if (rest) addLine(rest, line, true);
      } else {
        section = "ignored"; // Prerequisites / Notes: free text for humans, continuation lines included.
      }
      return;
    }
    if (section === "steps") addLine(raw, line, false);
    else if (section === "expected") addLine(raw, line, true);
    else if (section === "none") {
      errors.push(err(line, raw.trim(), "a line outside any section", "put steps under a `Test Steps:` line, assertions after `Expected:`"));
    }
  });

  if (url === undefined) errors.unshift(err(1, "", "the file has no URL: line", "URL: https://example.com"));
  if (!sawSteps && steps.length === 0) errors.push(err(1, "", "the file has no Test Steps: section", 'Test Steps:\n1. Click the Log in button'));
  else if (steps.length === 0 && errors.length === 0) errors.push(err(1, "", "the Test Steps: section is empty"));
  const test: ParsedTest = {
    name: name?.trim() || path.basename(fileName, path.extname(fileName)),
    url: url ?? "",
    steps,
    dataRows: [],
  };
  return finish(test, errors);
}

// ---------------------------------------------------------------------------------------------------------------
// .json / .yaml structured specs

const ZScalar = z.union([z.string(), z.number(), z.boolean()]);
const ZSpecStepObject = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    action: z.string().min(1),
    target: z.string().optional(),
    value: ZScalar.optional(),
    within: z.string().optional(),
    key: z.string().optional(),
    state: z.string().optional(),
    count: z.number().int().min(0).optional(),
    ms: z.number().int().min(0).optional(),
    seconds: z.number().min(0).optional(),
  })
  .strict();
export const ZTestSpec = z
  .object({
    name: z.string().min(1).optional(),
    test: z.string().min(1).optional(),
    description: z.string().optional(),
    url: z.string().min(1),
    steps: z.array(z.union([z.string(), ZSpecStepObject])).min(1),
    data: z.array(z.record(z.string(), ZScalar)).optional(),
  })
  .strict();
type SpecStepObject = z.infer<typeof ZSpecStepObject>;

/** Line (1-based) of `steps[i]` in the document, for error messages; 1 when unknown. */
function stepLines(doc: ReturnType<typeof parseDocument>, counter: LineCounter): number[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const steps = root.get("steps", true) as YamlNode | undefined;
  if (!isSeq(steps)) return [];
  return steps.items.map((item) => {
    const start = (item as YamlNode).range?.[0];
    return start === undefined ? 1 : counter.linePos(start).line;
  });
}

function buildStepFromObject(o: SpecStepObject, line: number): { step: Step } | { error: StepParseError } {
  const text = JSON.stringify(o);
  const fail = (reason: string) => ({ error: err(line, text, reason, 'e.g. { action: "fill", target: "Username", value: "alice" }') });
  const action = readAction(o.action);
  if (!action) return fail(`unknown action "${o.action}"`);
  const step: Omit<Step, "line" | "text"> = { action };
  if (o.target !== undefined) {
    const t = parseTargetPhrase(o.target, { plural: action === "expectCount" });
    if ("error" in t) return fail(t.error);
    step.target = t;
  }
  if (o.within !== undefined) {
    const region = parseRegionPhrase(o.within);
    if ("error" in region) return fail(region.error);
    if (step.target) step.target.within = region;
    else step.within = region;
  }
  if (o.value !== undefined) step.value = String(o.value);
  if (action === "press") {
    const key = normalizeKey(o.key ?? step.value ?? "");
    if (!key) return fail(`"${o.key ?? step.value ?? ""}" is not a key Playwright knows`);
    step.key = key;
    delete step.value;
  }
  if (action === "wait") {
    const ms = o.ms ?? (o.seconds !== undefined ? Math.round(o.seconds * 1000) : o.value !== undefined ? Number(o.value) * 1000 : undefined);
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) return fail("wait needs ms or seconds");
    step.ms = Math.round(ms);
    delete step.value;
  }
  if (action === "expectState" || (action === "waitFor" && o.state !== undefined)) {
    const state = (o.state ?? step.value ?? "").toLowerCase();
    const parsed = ZStep.shape.state.unwrap().safeParse(state);
    if (!parsed.success) return fail(`"${state}" is not a state (visible, hidden, enabled, disabled, checked, unchecked)`);
    step.state = parsed.data;
    delete step.value;
  }
  if (action === "expectCount") {
    const count = o.count ?? (step.value !== undefined ? Number(step.value) : undefined);
    if (count === undefined || !Number.isInteger(count) || count < 0) return fail("expectCount needs a whole count");
    step.count = count;
    delete step.value;
  }
  const missing = missingPart(step);
  if (missing) return fail(missing);
  const parsed = ZStep.safeParse({ line, text: formatStep(step), ...step });
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "invalid step");
  return { step: parsed.data };
}

export function parseStructuredSpec(fileName: string, content: string, format: "json" | "yaml"): ParseTestFileResult {
  if (format === "json") {
    try {
      JSON.parse(content);
    } catch (e) {
      return { ok: false, errors: [err(1, "", `invalid JSON: ${(e as Error).message}`)] };
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => err(e.linePos?.[0]?.line ?? 1, "", `invalid ${format.toUpperCase()}: ${e.message.split("\n")[0]}`)),
    };
  }
  const spec = ZTestSpec.safeParse(doc.toJS());
  if (!spec.success) {
    return {
      ok: false,
      errors: spec.error.issues.map((issue) => err(1, "", `${issue.path.join(".") || "spec"}: ${issue.message}`, "{ url, steps: [...], data?: [...] }")),
    };
  }
  const lines = stepLines(doc, counter);
  const errors: StepParseError[] = [];
  const urlProblem = checkStartUrl(spec.data.url);
  if (urlProblem) errors.push(err(1, spec.data.url, urlProblem));
  const steps: Step[] = [];
  spec.data.steps.forEach((s, i) => {
    const line = lines[i] ?? i + 1;
    if (typeof s === "string") {
      const res = parseStepLine(s, line);
      if (res.ok) steps.push(res.step);
      else errors.push(res.error);
      return;
    }
    const res = buildStepFromObject(s, line);
    if ("step" in res) steps.push(res.step);
    else errors.push(res.error);
  });
  const dataRows = (spec.data.data ?? []).map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])),
  );
  const test: ParsedTest = {
    name: spec.data.name ?? spec.data.test ?? path.basename(fileName, path.extname(fileName)),
    url: spec.data.url,
    steps,
    dataRows,
  };
  return finish(test, errors);
}

/** Chooses the format by extension (.txt, .json, .yaml/.yml). */
export function parseTestFile(fileName: string, content: string): ParseTestFileResult {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === ".txt") return parseRequirementText(fileName, content);
  if (ext === ".json") return parseStructuredSpec(fileName, content, "json");
  if (ext === ".yaml" || ext === ".yml") return parseStructuredSpec(fileName, content, "yaml");
  return {
    ok: false,
    errors: [err(1, "", `unknown test file type "${ext || fileName}": use .txt, .json, .yaml or .yml`)],
  };
}

// `{{name}}` variables in parsed steps: found at parse time (so data rows can be checked before a run) and bound
// once per run from a data row plus built-ins. Pure: the only inputs are the step, the row and the built-ins.
import type { Step } from "@/domain/step";

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export const BUILTIN_VARIABLES = ["timestamp", "uuid", "date"] as const;

/**
 * Built-in values for ONE run. Call it once per run and pass the result to every bindVariables call, so that
 * `Fill "user-{{uuid}}" …` and a later `Expect text "user-{{uuid}}"` see the same value.
 */
export function createBuiltins(now: Date = new Date()): Record<string, string> {
  return {
    timestamp: String(now.getTime()),
    uuid: globalThis.crypto.randomUUID(), // the Web Crypto global: the same in Node and in a browser
    date: now.toISOString().slice(0, 10),
  };
}

/** Names of the `{{variables}}` in one string, in order of appearance (duplicates kept). */
export function findVariablesInText(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1] as string);
}

/** Every string of a step that may carry variables (the raw `text` is left as the user wrote it). */
function stepStrings(step: Step): string[] {
  const out: string[] = [];
  if (step.value !== undefined) out.push(step.value);
  if (step.key !== undefined) out.push(step.key);
  if (step.within) out.push(step.within.name);
  const t = step.target;
  if (t) {
    out.push(t.name);
    if (t.within) out.push(t.within.name);
    const o = t.override;
    if (o?.type === "css") out.push(o.selector);
    if (o?.type === "role") out.push(o.role, o.name ?? "");
    if (o?.type === "testid") out.push(o.testId);
  }
  return out;
}

/** Sorted, de-duplicated variable names used by the steps (built-ins included). */
export function findVariables(steps: readonly Step[]): string[] {
  const names = new Set<string>();
  for (const step of steps) for (const s of stepStrings(step)) for (const n of findVariablesInText(s)) names.add(n);
  return [...names].sort();
}

/**
 * Problems that would make a run throw in bindVariables: a variable that no data row (or, without data rows, no
 * built-in) provides. One message per missing variable per row.
 */
export function checkDataRows(steps: readonly Step[], rows: readonly Record<string, string>[]): string[] {
  const needed = findVariables(steps).filter((n) => !(BUILTIN_VARIABLES as readonly string[]).includes(n));
  if (needed.length === 0) return [];
  if (rows.length === 0) {
    return needed.map((n) => `variable {{${n}}} has no value: add a data row with a "${n}" column`);
  }
  const problems: string[] = [];
  rows.forEach((row, i) => {
    for (const n of needed) if (!Object.hasOwn(row, n)) problems.push(`data row ${i + 1} has no value for {{${n}}}`);
  });
  return problems;
}

function replaceIn(text: string, values: Record<string, string>, step: Step): string {
  return text.replace(VARIABLE, (_whole, name: string) => {
    if (!Object.hasOwn(values, name)) {
      const known = Object.keys(values).sort().join(", ") || "none";
      throw new Error(
        `Unknown variable {{${name}}} in step ${step.line} (${JSON.stringify(step.text)}); known variables: ${known}`,
      );
    }
    return values[name] as string;
  });
}

/**
 * A copy of the step with `{{var}}` replaced in its value, key, target name, override and region names. Row
 * values win over built-ins. Without `builtins` fresh ones are made for this call only — pass
 * `createBuiltins()` made once per run when steps must agree on `{{uuid}}` / `{{timestamp}}`.
 * Throws an Error naming the variable when a variable has no value.
 */
export function bindVariables(step: Step, row: Record<string, string>, builtins?: Record<string, string>): Step {
  const values: Record<string, string> = { ...(builtins ?? createBuiltins()), ...row };
  const bind = (s: string) => replaceIn(s, values, step);
  const out: Step = structuredClone(step);
  if (out.value !== undefined) out.value = bind(out.value);
  if (out.key !== undefined) out.key = bind(out.key);
  if (out.within) out.within.name = bind(out.within.name);
  const t = out.target;
  if (t) {
    t.name = bind(t.name);
    if (t.within) t.within.name = bind(t.within.name);
    const o = t.override;
    if (o?.type === "css") o.selector = bind(o.selector);
    if (o?.type === "role") {
      o.role = bind(o.role);
      if (o.name !== undefined) o.name = bind(o.name);
    }
    if (o?.type === "testid") o.testId = bind(o.testId);
  }
  return out;
}

/** Binds all steps of one run with one set of built-ins. */
export function bindSteps(steps: readonly Step[], row: Record<string, string>, builtins?: Record<string, string>): Step[] {
  const shared = builtins ?? createBuiltins();
  return steps.map((s) => bindVariables(s, row, shared));
}

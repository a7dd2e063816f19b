// The URL policy (url-policy.ts) applied where a user gives a URL for a run, before anything is stored or queued:
// a test's start URL and its `Go to` steps (as written; with the data row bound when one is given). The worker
// checks again when it runs (the operator's settings may change, built-in variables are only known then).
import type { DataRow } from "@/domain/run";
import type { Step } from "@/domain/step";
import { AppError } from "../errors";
import { bindVariables, createBuiltins } from "../steps/variables";
import { checkUrl, refusalMessage, type UrlPolicy } from "./url-policy";

/** The first refused URL's message, or null: the start URL, then each navigate step resolved against it. A step
 * whose variables are not bound yet (no data row given) is checked once they are, by the worker. */
export function refusedRunUrl(input: { startUrl: string; steps: readonly Step[]; dataRow?: DataRow }, policy: UrlPolicy): string | null {
  const start = checkUrl(input.startUrl, policy);
  if (!start.ok) return refusalMessage(input.startUrl, start.reason);
  const builtins = createBuiltins();
  for (const step of input.steps) {
    if (step.action !== "navigate" || step.value === undefined) continue;
    let value: string;
    try {
      value = bindVariables(step, input.dataRow ?? {}, builtins).value ?? "";
    } catch {
      continue; // an unknown variable: the run reports it
    }
    let url: string;
    try {
      url = new URL(value, input.startUrl).toString();
    } catch {
      continue; // not a URL at all: the step fails with its own message
    }
    const d = checkUrl(url, policy);
    if (!d.ok) return `Step ${step.line} (${JSON.stringify(step.text)}): ${refusalMessage(url, d.reason)}`;
  }
  return null;
}

/** Throws BAD_REQUEST naming the refused URL. */
export function assertRunUrlsAllowed(input: { startUrl: string; steps: readonly Step[]; dataRow?: DataRow }, policy: UrlPolicy): void {
  const refused = refusedRunUrl(input, policy);
  if (refused) throw new AppError("BAD_REQUEST", refused);
}

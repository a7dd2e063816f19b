// Structured steps ({action, target, value, within} from JSON/YAML specs) and the canonical text of a step.
import { SCROLL_PLACES, TAB_PLACES, ZStep, type Region, type Step, type StepAction, type Target } from "@/domain/step";
import { maskQuotes, quotedValue, unmask } from "./quotes";
import { isFail, readRegion, readTarget } from "./targets";
import { checkUrl } from "./values";

export const ACTION_ALIASES: Record<string, StepAction> = {
  goto: "navigate", open: "navigate", visit: "navigate", refresh: "reload", goback: "back",
  doubleclick: "dblclick", filltext: "fill", typetext: "type", tap: "click", hoverover: "hover",
  selectoption: "select", attach: "upload", uploadfile: "upload", setinputfiles: "upload", sleep: "wait", asserttext: "expectText", asserturl: "expectUrl", asserttitle: "expectTitle",
};

/** `fill`, `Fill`, `double_click`, `wait-for-text` -> StepAction. */
export function readAction(name: string): StepAction | undefined {
  const compact = name.toLowerCase().replace(/[\s_-]+/g, "");
  const direct = (ZStep.shape.action.options as readonly StepAction[]).find((a) => a.toLowerCase() === compact);
  return direct ?? ACTION_ALIASES[compact];
}

/** Parses a target phrase on its own (`the Log in button`, `css:#id`, `"Save" in the Edit dialog`). */
export function parseTargetPhrase(phrase: string, opts: { plural?: boolean } = {}): Target | { error: string } {
  const masked = maskQuotes(phrase.trim());
  if ("error" in masked) return { error: masked.error };
  const t = readTarget(masked.text.replace(/\s+/g, " "), masked, opts);
  return isFail(t) ? { error: t.fail } : t;
}

/** Parses a region phrase (`Login dialog`, `the "Login" dialog`, `row "Alice"`); a bare name means a region. */
export function parseRegionPhrase(phrase: string): Region | { error: string } {
  const masked = maskQuotes(phrase.trim());
  if ("error" in masked) return { error: masked.error };
  const text = masked.text.replace(/\s+/g, " ").trim();
  if (!text) return { error: "the region is empty" };
  return readRegion(text, masked) ?? { name: quotedValue(text, masked) ?? unmask(text, masked, "inner"), kind: "region" };
}

/** What a step of each action must carry; undefined when it is complete. */
export function missingPart(step: Omit<Step, "line" | "text">): string | undefined {
  const needsTarget = ["fill", "clear", "click", "dblclick", "hover", "select", "check", "uncheck", "expand", "collapse", "waitFor", "expectState", "expectValue", "expectContains", "expectCount"];
  if (needsTarget.includes(step.action) && !step.target) return "the element (target) is missing";
  if (step.target && !step.target.name && !step.target.kind && !step.target.override) return "the element (target) is missing";
  const needsValue = ["navigate", "fill", "type", "select", "upload", "waitForText", "expectText", "expectNoText", "expectTitle", "expectUrl", "expectValue", "expectContains"];
  if (needsValue.includes(step.action) && step.value === undefined) return "the value is missing";
  if (step.action === "navigate" && step.value !== undefined) return checkUrl(step.value);
  if (step.action === "press" && !step.key) return "the key is missing";
  if (step.action === "scroll" && !step.target && !SCROLL_PLACES.includes(step.value ?? "")) return `say where to scroll: an element, or one of ${SCROLL_PLACES.join(", ")}`;
  if (step.action === "switchTab" && !TAB_PLACES.includes(step.value ?? "")) return `say which tab to switch to: one of ${TAB_PLACES.join(", ")}`;
  if (step.action === "wait" && step.ms === undefined) return "the duration is missing";
  if (step.action === "expectState" && !step.state) return "the state is missing (visible, hidden, enabled, disabled, checked, unchecked)";
  if (step.action === "expectCount" && step.count === undefined) return "the count is missing";
  return undefined;
}

export function quote(s: string): string {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("”")) return `“${s}”`;
  return `'${s}'`;
}
export function describeRegion(w: Region): string {
  return w.name ? `the ${quote(w.name)} ${w.kind}` : `the ${w.kind}`;
}
/** A target with a scoped reading (`Add to cart for Hoodie`) keeps its name unquoted, as written, so that it reads
 *  both ways again (its name came from an unquoted phrase, so it parses back the same). */
export function describeTarget(t: Target): string {
  const ord = t.ordinal === undefined ? "" : t.ordinal === -1 ? "last " : `${["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"][t.ordinal] ?? `${t.ordinal + 1}th`} `;
  const o = t.override;
  const core = o
    ? o.type === "css" ? `css:${o.selector}` : o.type === "testid" ? `testid:${o.testId}` : `role:${o.role}${o.name ? `=${o.name}` : ""}`
    : [t.scoped ? t.name : quote(t.name), t.kind].filter(Boolean).join(" ");
  const scope = t.within ? ` in ${describeRegion(t.within)}` : "";
  // (A phrase whose type word may be part of the name is written back as it was: unquoted, with no article.)
  if (t.literalHasType && t.literalName && !o) return `${t.literalName}${scope}`;
  return `${o ? ord : `the ${ord}`}${core}${scope}`.trim();
}

/** Canonical English for a step; parseSteps(formatStep(s)) yields the same step (names come back exact). */
export function formatStep(step: Omit<Step, "line" | "text">): string {
  const t = step.target ? describeTarget(step.target) : "";
  const v = quote(step.value ?? "");
  const scope = step.within ? ` in ${describeRegion(step.within)}` : "";
  switch (step.action) {
    case "navigate": return `Go to ${step.value ?? ""}`;
    case "reload": return "Reload the page";
    case "back": return "Go back";
    case "fill": return `Fill ${v} in ${t}`;
    case "type": return step.target ? `Type ${v} into ${t}` : `Type ${v}`;
    case "clear": return `Clear ${t}`;
    case "press": return step.target ? `Press ${step.key} on ${t}` : `Press ${step.key}`;
    case "click": return `Click ${t}`;
    case "dblclick": return `Double-click ${t}`;
    case "hover": return `Hover over ${t}`;
    case "scroll": return step.target ? `Scroll to ${t}` : step.value === "top" || step.value === "bottom" ? `Scroll to the ${step.value}` : `Scroll ${step.value ?? "down"}`;
    case "select": return `Select ${v} from ${t}`;
    case "check": return `Check ${t}`;
    case "uncheck": return `Uncheck ${t}`;
    case "expand": return `Expand ${t}`;
    case "collapse": return `Collapse ${t}`;
    case "upload": return step.target ? `Upload ${v} to ${t}` : `Upload ${v}`;
    case "switchTab": return step.value === "previous" ? "Switch back to the previous tab" : `Switch to the ${step.value ?? "new"} tab`;
    case "closeTab": return "Close the tab";
    case "waitFor": return step.state ? `Wait for ${t} to be ${step.state}` : `Wait for ${t}`;
    case "waitForText": return `Wait for text ${v}${scope}`;
    case "wait": return `Wait ${step.ms ?? 0} ms`;
    case "expectText": return `Expect text ${v}${scope}`;
    case "expectNoText": return `Expect no text ${v}${scope}`;
    case "expectTitle": return `Expect title contains ${v}`;
    case "expectUrl": return `Expect URL contains ${v}`;
    case "expectState": return `Expect ${t} to be ${step.state ?? "visible"}`;
    case "expectValue": return `Expect ${t} to have value ${v}`;
    case "expectContains": return `Expect ${t} to contain ${v}`;
    case "expectCount": return `Expect ${step.count ?? 0} ${t.replace(/^the /, "")}`;
  }
}

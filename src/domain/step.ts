// The parsed form of one plain-English step: the contract between the step parser (src/server/steps/
// step-parser.ts), the routers that store it, and the worker that executes it. Imports only zod.
import { z } from "zod";

export const STEP_ACTIONS = [
  "navigate", // Go to https://… / Navigate to /path (relative to the start URL)
  "reload", // Reload the page
  "back", // Go back
  "fill", // Fill "v" in the X field / Fill X with "v"
  "type", // Type "v" into X (key by key)
  "clear", // Clear X
  "press", // Press Enter [on X]
  "click", // Click X / Click the X button / Click first X
  "dblclick", // Double-click X
  "hover", // Hover over X
  "scroll", // Scroll down|up, Scroll to the top|bottom, Scroll to X
  "select", // Select "option" from X
  "check", // Check X
  "uncheck", // Uncheck X
  "expand", // Expand X / Expand the X section / Open the X accordion (a no-op when already expanded)
  "collapse", // Collapse X / Close the X accordion (a no-op when already collapsed)
  "upload", // Upload "report.pdf" [to X] / Attach "a.png" to the X field (without X: the page's only file input)
  "switchTab", // Switch to the new|first|last tab / Switch back to the previous tab (also window, popup)
  "closeTab", // Close the tab (back to the previous one)
  "waitFor", // Wait for X
  "waitForText", // Wait for text "…"
  "wait", // Wait 2 seconds
  "expectText", // Expect text "…"
  "expectNoText", // Expect no text "…"
  "expectTitle", // Expect title contains "…"
  "expectUrl", // Expect URL contains "…"
  "expectState", // Expect X to be visible|hidden|enabled|disabled|checked
  "expectValue", // Expect X to have value "…"
  "expectContains", // Expect X to contain "…"
  "expectCount", // Expect N X
] as const;
export const ZStepAction = z.enum(STEP_ACTIONS);
export type StepAction = z.infer<typeof ZStepAction>;

/** Where a page scroll (a scroll step without an element) goes: a screen down or up, or the page's top or bottom. */
export const SCROLL_PLACES: readonly string[] = ["down", "up", "top", "bottom"];

/** Which tab a tab switch goes to: one opened since the last switch, the first, the one before, the last opened. */
export const TAB_PLACES: readonly string[] = ["new", "first", "previous", "last"];

/** Actions whose target is an element on the page. */
export const ELEMENT_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>([
  "fill", "type", "clear", "click", "dblclick", "hover", "select", "check", "uncheck", "expand", "collapse",
  "waitFor", "expectState", "expectValue", "expectContains", "expectCount",
]);

export const ELEMENT_KINDS = [
  "button", "link", "field", "checkbox", "radio", "dropdown", "option", "tab", "heading",
  "image", "item", "row", "menu", "menuitem", "switch", "text",
] as const;
export const ZElementKind = z.enum(ELEMENT_KINDS);
export type ElementKind = z.infer<typeof ZElementKind>;

export const ZRegion = z.object({
  /** header, footer, navigation, sidebar and main are the page's landmarks; their name is optional. An alert is
   * a toast, snackbar or notification (role alert or status). An item is the one repeated container (a table row,
   * a list item, a card) that says the name as whole words: the scope of `Click Edit for Bob`. */
  kind: z.enum(["section", "dialog", "form", "row", "region", "frame", "header", "footer", "navigation", "sidebar", "main", "alert", "item"]),
  name: z.string(),
});
export type Region = z.infer<typeof ZRegion>;

/** An explicit locator the user wrote instead of a name (`css:…`, `role:button=Save`, `testid:…`). */
export const ZOverride = z.discriminatedUnion("type", [
  z.object({ type: z.literal("css"), selector: z.string().min(1) }),
  z.object({ type: z.literal("role"), role: z.string().min(1), name: z.string().optional() }),
  z.object({ type: z.literal("testid"), testId: z.string().min(1) }),
]);
export type Override = z.infer<typeof ZOverride>;

/**
 * The other reading of a target that ends in `for X` / `next to X` / `beside X` (`Add to cart for Hoodie`): the
 * element named by the words before, inside the one repeated item that says X. The target itself keeps the
 * literal reading ("Add to cart for Hoodie", since real names contain "for": "Sign up for free"); discovery
 * tries that first and this only when no element carries the literal name.
 */
export const ZScopedReading = z.object({
  name: z.string(),
  exact: z.boolean().default(false),
  kind: ZElementKind.optional(),
  ordinal: z.number().int().min(-1).optional(),
  literalName: z.string().optional(),
  within: ZRegion,
});
export type ScopedReading = z.infer<typeof ZScopedReading>;

export const ZTarget = z.object({
  /** What the user called the element, without quotes or the type word ("Username", "Log in"). */
  name: z.string(),
  /** The name was quoted: match it exactly (after whitespace normalisation) before fuzzy forms. */
  exact: z.boolean().default(false),
  /** Type word the user gave ("the Log in button" -> "button"). */
  kind: ZElementKind.optional(),
  /** 0-based ordinal; -1 means last. */
  ordinal: z.number().int().min(-1).optional(),
  /** When an ordinal word was read off the front ("First name"), the phrase as written: discovery tries it
   *  as a literal name first, since many real labels start with an ordinal word. Also when a type word was
   *  read off the end of a phrase with no article ("Click Open menu", "Click Insert link"): real names end in
   *  type words too, so the phrase is tried as a name, with no type, before "Open" is read as a menu. */
  literalName: z.string().optional(),
  /** literalName ends with the type word that `kind` was read from: the literal reading has no type. */
  literalHasType: z.boolean().optional(),
  override: ZOverride.optional(),
  within: ZRegion.optional(),
  scoped: ZScopedReading.optional(),
});
export type Target = z.infer<typeof ZTarget>;

/** The target as its scoped reading (see ZScopedReading), or undefined when it has none. */
export function scopedTarget(target: Target): Target | undefined {
  return target.scoped && !target.override ? { ...target.scoped } : undefined;
}

/** The target as its literal reading: without the scoped alternative. */
export function literalTarget(target: Target): Target {
  const { scoped: _scoped, ...literal } = target;
  return literal;
}

export const ELEMENT_STATES = ["visible", "hidden", "enabled", "disabled", "checked", "unchecked"] as const;
export const ZElementState = z.enum(ELEMENT_STATES);
export type ElementState = z.infer<typeof ZElementState>;

export const ZStep = z.object({
  /** 1-based line in the source text. */
  line: z.number().int().min(1),
  /** The line as the user wrote it (variables not yet bound). */
  text: z.string(),
  action: ZStepAction,
  target: ZTarget.optional(),
  /** Fill/type/select value, expected text/title/url/value, the navigation URL, where a page scroll goes
   * (down, up, top, bottom), the file an upload names, or the tab a switch goes to (TAB_PLACES). May contain {{vars}}. */
  value: z.string().optional(),
  /** Key for `press` (Playwright key name: Enter, Tab, Control+A). */
  key: z.string().optional(),
  state: ZElementState.optional(),
  count: z.number().int().min(0).optional(),
  /** Duration for `wait`. */
  ms: z.number().int().min(0).optional(),
  /** Region that bounds a step without an element target (`Expect text "Alice" in the Users section`,
   * `Wait for text "Saved" in the Settings dialog`); element steps carry their region in `target.within`. */
  within: ZRegion.optional(),
});
export type Step = z.infer<typeof ZStep>;
export const ZSteps = z.array(ZStep);

export type StepParseError = { line: number; text: string; reason: string; suggestion?: string };

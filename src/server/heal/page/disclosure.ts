// Expand / Collapse of a disclosure control: an element with aria-expanded (an accordion header's button, a menu
// button, a tree item) or a <details>' <summary>. The step's element is found like a click's; the control is that
// element, the control around it (a <span> inside the button), the one control inside it (an accordion heading
// wrapping its button) or the one control beside it (a title next to its +/- button). It is clicked only when its state differs from the one wanted, then the state is checked.
// The generated spec carries the same chain and the same state probe, so both act alike.
import type { Locator } from "playwright-core";

/**
 * `(el) => open`: true or false for a summary (its <details>' open) or an element with aria-expanded, null for
 * an element with no such state. Plain JavaScript: it runs in the page and is written into generated specs.
 */
export const DISCLOSURE_STATE_FN = `(el) => el.localName === "summary" ? !!(el.parentElement && el.parentElement.open) : el.hasAttribute("aria-expanded") ? el.getAttribute("aria-expanded") === "true" : null`;

const disclosureState = new Function("el", `return (${DISCLOSURE_STATE_FN})(el);`) as (el: Element) => boolean | null;

const NEAR_LEVELS = 3;
const CONTROLS = "descendant::*[@aria-expanded or self::summary]";

/** How the control is reached from the step's element, as a Playwright chain (selector and code). */
const CHAINS = {
  self: null,
  summary: "xpath=./summary",
  ancestor: "xpath=ancestor::*[@aria-expanded or self::summary][1]",
  inside: "[aria-expanded], summary",
  // A name beside its control (<h3><span>FAQ</span><button aria-expanded>+</button></h3>): the one control in the
  // nearest of the element's three closest ancestors that holds any.
  near: `xpath=ancestor::*[position() <= ${NEAR_LEVELS}][count(${CONTROLS}) = 1][1]/${CONTROLS}`,
} as const;
type How = keyof typeof CHAINS | "none";

/** Which control the element stands for (see the header); "none" when it has no expanded state at all. */
const findControl = new Function(
  "el",
  `if (el.hasAttribute("aria-expanded") || el.localName === "summary") return "self";
if (el.localName === "details") return el.querySelector(":scope > summary") ? "summary" : "none";
if (el.parentElement && el.parentElement.closest("[aria-expanded], summary")) return "ancestor";
var inside = el.querySelectorAll("[aria-expanded], summary").length;
if (inside) return inside === 1 ? "inside" : "none";
for (var up = el.parentElement, i = 0; up && i < ${NEAR_LEVELS}; up = up.parentElement, i++) {
  var n = up.querySelectorAll("[aria-expanded], summary").length;
  if (n) return n === 1 ? "near" : "none";
}
return "none";`,
) as (el: Element) => How;

export type DisclosureControl = { loc: Locator; /** Appended to the element's locator code. */ codeSuffix: string; hasState: boolean };

export async function disclosureControl(el: Locator): Promise<DisclosureControl> {
  const how = await el.evaluate(findControl);
  const chain = how === "none" ? null : CHAINS[how];
  if (!chain) return { loc: el, codeSuffix: "", hasState: how !== "none" };
  return { loc: el.locator(chain), codeSuffix: `.locator(${JSON.stringify(chain)})`, hasState: true };
}

/** The control's expanded state now (null: it has none). */
export function readDisclosure(loc: Locator): Promise<boolean | null> {
  return loc.evaluate(disclosureState);
}

/** The spec lines of an Expand/Collapse step on `control` (a locator expression), mirroring setDisclosure. */
export function disclosureSpecLines(control: string, expand: boolean): string[] {
  return [
    "{",
    `  const control = ${control};`,
    `  const expanded = () => control.evaluate(${DISCLOSURE_STATE_FN});`,
    `  if ((await expanded()) !== ${expand}) await control.click();`,
    `  if ((await expanded()) !== null) await expect.poll(expanded).toBe(${expand});`,
    "}",
  ];
}

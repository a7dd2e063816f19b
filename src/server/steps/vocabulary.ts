// The step grammar's words: element kinds, region words, ordinals, numbers, key names.
import { type ElementKind, type Region } from "@/domain/step";

/** Type words (singular) and the ELEMENT_KINDS they mean. Multi-word ones first so they win. */
export const KIND_WORDS: [string, ElementKind][] = [
  ["menu item", "menuitem"], ["list item", "item"], ["radio button", "radio"], ["check box", "checkbox"],
  ["text box", "field"], ["text field", "field"], ["input field", "field"], ["text area", "field"],
  ["combo box", "dropdown"], ["drop-down", "dropdown"], ["drop down", "dropdown"],
  ["menuitem", "menuitem"], ["textarea", "field"], ["textbox", "field"], ["checkbox", "checkbox"],
  ["combobox", "dropdown"], ["listbox", "dropdown"], ["dropdown", "dropdown"], ["select", "dropdown"],
  ["button", "button"], ["link", "link"], ["field", "field"], ["input", "field"], ["box", "field"],
  ["radio", "radio"], ["option", "option"], ["tab", "tab"], ["heading", "heading"], ["image", "image"],
  ["item", "item"], ["row", "row"], ["menu", "menu"], ["switch", "switch"], ["toggle", "switch"],
];
export const pluralOf = (w: string) => (/(x|ch|sh|s)$/.test(w) ? `${w}es` : `${w}s`);
export const wordRe = (w: string) => w.replace(/[-]/g, "\\-").replace(/ /g, "\\s+");
export const KIND_ALT = KIND_WORDS.map(([w]) => wordRe(w)).join("|");
export const KIND_ALT_PLURAL = KIND_WORDS.map(([w]) => `${wordRe(pluralOf(w))}|${wordRe(w)}`).join("|");

export function kindOf(word: string): ElementKind | undefined {
  const w = word.toLowerCase().replace(/\s+/g, " ");
  for (const [k, kind] of KIND_WORDS) if (w === k || w === pluralOf(k)) return kind;
  return undefined;
}

export const REGION_WORDS: Record<string, Region["kind"]> = {
  section: "section", dialog: "dialog", modal: "dialog", popup: "dialog", form: "form", row: "row",
  region: "region", panel: "region", frame: "frame", iframe: "frame",
  // A card, tile or fieldset is a section titled by its heading or legend; so are a board's lists and columns.
  card: "section", tile: "section", fieldset: "section", group: "section", list: "section", column: "section", lane: "section",
  // One of many posts on a page (`in Jon Skeet's answer`): the repeated item that says the name.
  answer: "item", comment: "item", post: "item", review: "item",
  // Toasts, snackbars and notifications (role alert or status).
  toast: "alert", snackbar: "alert", notification: "alert", alert: "alert",
  // The page's landmarks: `Click Contact in the footer`, `… in the header`, `… in the main content`.
  header: "header", footer: "footer", navigation: "navigation", nav: "navigation", navbar: "navigation",
  sidebar: "sidebar", "main content": "main", main: "main",
};
export const REGION_ALT = Object.keys(REGION_WORDS).join("|");

export const ORDINAL_WORDS: Record<string, number> = {
  first: 0, second: 1, third: 2, fourth: 3, fifth: 4, sixth: 5, seventh: 6, eighth: 7, ninth: 8, tenth: 9, last: -1,
};
export const ORDINAL_RE = new RegExp(`^(${Object.keys(ORDINAL_WORDS).join("|")}|\\d+(?:st|nd|rd|th))\\s+(.+)$`, "i");

export const NUMBER_WORDS: Record<string, number> = {
  no: 0, zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};

/** Lower-case spellings -> Playwright key names. Single characters pass through. */
export const KEY_NAMES: Record<string, string> = {
  enter: "Enter", return: "Enter", tab: "Tab", escape: "Escape", esc: "Escape", space: "Space", spacebar: "Space",
  backspace: "Backspace", delete: "Delete", del: "Delete", insert: "Insert", home: "Home", end: "End",
  pageup: "PageUp", pagedown: "PageDown", arrowup: "ArrowUp", arrowdown: "ArrowDown", arrowleft: "ArrowLeft",
  arrowright: "ArrowRight", up: "ArrowUp", down: "ArrowDown", left: "ArrowLeft", right: "ArrowRight",
  uparrow: "ArrowUp", downarrow: "ArrowDown", leftarrow: "ArrowLeft", rightarrow: "ArrowRight",
  control: "Control", ctrl: "Control", shift: "Shift", alt: "Alt", option: "Alt", meta: "Meta", cmd: "Meta",
  command: "Meta", controlormeta: "ControlOrMeta", mod: "ControlOrMeta",
};
export const MODIFIERS = new Set(["Control", "Shift", "Alt", "Meta", "ControlOrMeta"]);

/** Normalises `ctrl + a`, `Arrow Down`, `esc` to Playwright names (`Control+A`, `ArrowDown`, `Escape`). */
export function normalizeKey(input: string): string | undefined {
  const parts = input.split("+").map((p) => p.trim());
  if (parts.some((p) => p === "")) return undefined;
  const names: string[] = [];
  for (const part of parts) {
    const compact = part.toLowerCase().replace(/[\s_-]+/g, "");
    const fn = /^f([1-9]|1[0-2])$/.exec(compact);
    if (KEY_NAMES[compact]) names.push(KEY_NAMES[compact]);
    else if (fn) names.push(`F${fn[1]}`);
    else if (/^(key[a-z]|digit[0-9])$/.test(compact)) names.push(compact[0]!.toUpperCase() + compact.slice(1, -1) + compact.slice(-1).toUpperCase());
    else if ([...part].length === 1) names.push(parts.length > 1 && /[a-z]/.test(part) ? part.toUpperCase() : part);
    else return undefined;
  }
  // Modifiers only make sense before the final key.
  if (names.slice(0, -1).some((n) => !MODIFIERS.has(n))) return undefined;
  return names.join("+");
}

// Controls named only by their purpose: an icon button with no accessible name whose class, id or icon says what
// it does ("delete" ↔ `.destroy`, `.remove`, a trash icon), an edit field that exists only while a row is being
// edited (`input.edit`). The step's words are read as a purpose (one table of synonyms, below) and matched
// against the tokens of the control's own class/id/name/data-action and of the icon inside it. Only controls
// without words of their own qualify: a control that has a name is found by that name, never by its class.
// Runs last among the discovery strategies, so anything a person can read wins over it.
import { probeForms } from "./probe";
import type { SelectorForm, Strategy } from "./types";

/** Purposes and the words pages use for them in class names, ids and icon names (Font Awesome, Material, …). */
export const PURPOSES: readonly (readonly string[])[] = [
  ["delete", "destroy", "remove", "trash", "bin", "del", "erase", "discard", "garbage"],
  ["edit", "editing", "editor", "rename", "modify", "pencil", "pen"],
  ["add", "new", "create", "plus", "insert"],
  ["close", "dismiss", "times", "xmark"],
  ["search", "find", "magnifier", "magnify", "lookup"],
  ["save", "floppy"],
  ["settings", "setting", "gear", "cog", "preferences", "config"],
  ["menu", "hamburger", "burger", "bars", "kebab", "ellipsis", "more"],
  ["copy", "duplicate", "clone"],
  ["download"],
  ["upload"],
  ["share"],
  ["refresh", "reload", "sync", "redo"],
  ["expand", "chevron", "caret", "toggle"],
  ["favorite", "favourite", "star", "heart", "like"],
];

/** Words a step adds around a purpose that say nothing about which control ("the delete icon", "remove item"). */
const FILLER = new Set(["the", "a", "an", "this", "that", "item", "entry", "row", "icon", "button", "btn", "link", "field", "input", "box", "control", "todo", "it"]);

const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** The purpose tokens a step's name asks for, or null when its words are not all purpose and filler words. */
export function purposeTokens(name: string): string[] | null {
  const ws = words(name).filter((w) => !FILLER.has(w));
  if (ws.length === 0 || ws.length > 2) return null;
  const out = new Set<string>();
  for (const w of ws) {
    const group = PURPOSES.find((g) => g.includes(w) || g.includes(w.replace(/s$/, "")));
    if (!group) return null;
    for (const t of group) out.add(t);
  }
  return [...out];
}

const KIND_CSS: Record<string, string> = {
  button: 'button, [role="button"], input[type="button"], input[type="submit"], a',
  link: "a, [role=link]",
  field: 'input:not([type]), input[type="text"], input[type="search"], input[type="email"], input[type="url"], input[type="tel"], input[type="number"], input[type="password"], textarea, [contenteditable="true"]',
  checkbox: 'input[type="checkbox"], [role="checkbox"], [role="switch"]',
};
const ACTION_KIND: Record<string, string> = { fill: "field", type: "field", clear: "field", check: "checkbox", uncheck: "checkbox" };

export const purposeStrategy: Strategy = {
  name: "purpose",
  family: "stable-attribute",
  async find(scope, target, action, opts) {
    if (opts?.nameTier === "partial") return [];
    const tokens = purposeTokens(target.name);
    if (!tokens) return [];
    const kind = target.kind && KIND_CSS[target.kind] ? target.kind : (ACTION_KIND[action] ?? "button");
    // One look in the page (Playwright's css engine pierces open shadow roots): which controls of the kind carry
    // a purpose token and no words of their own, and by which attribute or icon class.
    const found = await scope
      .locator(KIND_CSS[kind]!)
      .evaluateAll(
        (els, want) => {
          const split = (v: string | null) =>
            (v ?? "")
              .replace(/([a-z])([A-Z])/g, "$1 $2")
              .toLowerCase()
              .split(/[^a-z0-9]+/)
              .filter(Boolean);
          const hits = (v: string | null) => split(v).some((t) => want.includes(t));
          const out: { tag: string; by: "class" | "id" | "name" | "action" | "icon"; value: string }[] = [];
          for (const el of els.slice(0, 500)) {
            const text = (el.textContent ?? "").replace(/[\s×✕✖✗✘❌🗑+−\-…⋮⋯]/gu, "");
            const field = el.localName === "input" || el.localName === "textarea";
            if (!field && (text.length > 0 || el.getAttribute("aria-label") || el.getAttribute("title"))) continue;
            const tag = el.localName;
            const cls = Array.from(el.classList).find((c) => hits(c));
            if (cls) out.push({ tag, by: "class", value: cls });
            else if (hits(el.id) && /^[A-Za-z][\w-]*$/.test(el.id)) out.push({ tag, by: "id", value: el.id });
            else if (hits(el.getAttribute("name"))) out.push({ tag, by: "name", value: el.getAttribute("name")! });
            else if (hits(el.getAttribute("data-action"))) out.push({ tag, by: "action", value: el.getAttribute("data-action")! });
            else {
              const icon = Array.from(el.querySelectorAll("i, svg, span, use, img")).find((i) => hits(i.getAttribute("class")) || hits(i.getAttribute("href")) || hits(i.getAttribute("data-icon")));
              const iconCls = icon && Array.from(icon.classList).find((c) => hits(c));
              if (icon && iconCls) out.push({ tag, by: "icon", value: `${icon.localName}.${CSS.escape(iconCls)}` });
            }
          }
          return out;
        },
        tokens,
      )
      .catch(() => []);
    const visible = opts?.requireVisible === false ? "" : " >> visible=true";
    const q = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const forms = new Map<string, SelectorForm>();
    for (const f of found) {
      const css =
        f.by === "class"
          ? `${f.tag}.${f.value.replace(/([^\w-])/g, "\\$1")}`
          : f.by === "id"
            ? `${f.tag}#${f.value}`
            : f.by === "name"
              ? `${f.tag}[name="${q(f.value)}"]`
              : f.by === "action"
                ? `${f.tag}[data-action="${q(f.value)}"]`
                : `${f.tag}:has(${f.value})`;
      const code = visible ? `locator(${JSON.stringify(css)}).filter({ visible: true })` : `locator(${JSON.stringify(css)})`;
      forms.set(css, { selector: `${css}${visible}`, code, score: 0.5 });
    }
    if (forms.size === 0) return [];
    return probeForms(scope, [...forms.values()], { strategy: this.name, family: this.family, action }, opts);
  },
};
